CREATE TABLE `catalog_cache` (
	`id` integer PRIMARY KEY NOT NULL,
	`location_id` text NOT NULL,
	`catalog` text NOT NULL,
	`fetched_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `devices` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`model` text NOT NULL,
	`secret_hash` text NOT NULL,
	`slots` text NOT NULL,
	`scan_mode` text,
	`area` text,
	`revoked_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `hub_credentials` (
	`id` integer PRIMARY KEY NOT NULL,
	`gateway_id` text NOT NULL,
	`token` text NOT NULL,
	`location_id` text NOT NULL,
	`organization_id` text NOT NULL,
	`claimed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`ack_seq` integer DEFAULT 0 NOT NULL,
	`last_ack_at` integer,
	`last_error` text
);
--> statement-breakpoint
CREATE TABLE `pipeline_cursor` (
	`device_id` text PRIMARY KEY NOT NULL,
	`last_reading_id` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `readings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`device_id` text NOT NULL,
	`channel` text NOT NULL,
	`payload` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `readings_device_idx` ON `readings` (`device_id`,`id`);--> statement-breakpoint
CREATE TABLE `scale_slots` (
	`device_id` text NOT NULL,
	`platform` integer NOT NULL,
	`phase` text NOT NULL,
	`level_ml` integer,
	`item_id` text,
	`window` text NOT NULL,
	`observed_at` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`device_id`, `platform`)
);
--> statement-breakpoint
CREATE TABLE `stock_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`gateway_id` text NOT NULL,
	`location_id` text NOT NULL,
	`item_id` text NOT NULL,
	`kind` text NOT NULL,
	`delta_ml` integer NOT NULL,
	`containers_delta` integer DEFAULT 0 NOT NULL,
	`level_after_ml` integer,
	`source` text NOT NULL,
	`device_id` text,
	`user_id` text,
	`slot` text,
	`observed_at` text NOT NULL,
	`confidence` real NOT NULL,
	`recorded_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `stock_events_id_unique` ON `stock_events` (`id`);--> statement-breakpoint
CREATE TABLE `unknown_barcodes` (
	`barcode` text PRIMARY KEY NOT NULL,
	`last_device_id` text NOT NULL,
	`last_mode` text NOT NULL,
	`count` integer NOT NULL,
	`first_seen_at` text NOT NULL,
	`last_seen_at` text NOT NULL
);
