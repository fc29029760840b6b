-- IF NOT EXISTS (added by hand): gateways from before this migration made these tables themselves at start.
CREATE TABLE IF NOT EXISTS `device_admin_token` (
	`id` integer PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `device_calibrations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`device_id` text NOT NULL,
	`offset` real NOT NULL,
	`factor` real NOT NULL,
	`known_grams` real NOT NULL,
	`check_grams` real NOT NULL,
	`error_percent` real NOT NULL,
	`calibrated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `device_configs` (
	`device_id` text PRIMARY KEY NOT NULL,
	`config` text NOT NULL,
	`config_version` integer NOT NULL,
	`acked_version` integer,
	`attempts` integer NOT NULL,
	`last_error` text,
	`pushed_at` integer NOT NULL,
	`acked_at` integer
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `device_admin_managed` (
	`device_id` text PRIMARY KEY NOT NULL,
	`since` integer NOT NULL
);
