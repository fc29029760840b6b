-- POS sales, recipes, variance settings, licences and alerts (issue 5). Written by hand, kept in sync with
-- src/db/schema-pos.ts. Every organization-owned row cascades with its organization (tests empty the hub).
CREATE TABLE `bar_settings` (
	`organization_id` text PRIMARY KEY NOT NULL REFERENCES `organizations`(`id`) ON DELETE CASCADE,
	`settings` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `modifiers` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`) ON DELETE CASCADE,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`multiplier` real DEFAULT 1 NOT NULL,
	`drop_categories` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `modifiers_org_name_idx` ON `modifiers` (`organization_id`, `name_key`);
--> statement-breakpoint
CREATE TABLE `menu_items` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`) ON DELETE CASCADE,
	`name` text NOT NULL,
	`category` text NOT NULL,
	`price` real NOT NULL,
	`archived_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `menu_items_org_idx` ON `menu_items` (`organization_id`);
--> statement-breakpoint
CREATE TABLE `recipe_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`menu_item_id` text NOT NULL REFERENCES `menu_items`(`id`) ON DELETE CASCADE,
	`version` integer NOT NULL,
	`valid_from` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recipe_versions_item_version_idx` ON `recipe_versions` (`menu_item_id`, `version`);
--> statement-breakpoint
CREATE TABLE `recipe_lines` (
	`recipe_version_id` text NOT NULL REFERENCES `recipe_versions`(`id`) ON DELETE CASCADE,
	`item_id` text NOT NULL REFERENCES `items`(`id`) ON DELETE CASCADE,
	`ml` integer NOT NULL,
	PRIMARY KEY (`recipe_version_id`, `item_id`)
);
--> statement-breakpoint
CREATE TABLE `pos_connections` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`) ON DELETE CASCADE,
	`location_id` text NOT NULL REFERENCES `locations`(`id`) ON DELETE CASCADE,
	`provider` text NOT NULL,
	`signing_key` text NOT NULL,
	`notification_url` text,
	`access_token` text,
	`api_base_url` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pos_webhook_receipts` (
	`connection_id` text NOT NULL REFERENCES `pos_connections`(`id`) ON DELETE CASCADE,
	`event_id` text NOT NULL,
	`received_at` text NOT NULL,
	PRIMARY KEY (`connection_id`, `event_id`)
);
--> statement-breakpoint
CREATE TABLE `pos_item_mappings` (
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`) ON DELETE CASCADE,
	`provider` text NOT NULL,
	`external_id` text NOT NULL,
	`external_name` text NOT NULL,
	`menu_item_id` text REFERENCES `menu_items`(`id`) ON DELETE CASCADE,
	`updated_at` text NOT NULL,
	PRIMARY KEY (`organization_id`, `provider`, `external_id`)
);
--> statement-breakpoint
CREATE TABLE `sale_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`) ON DELETE CASCADE,
	`location_id` text NOT NULL REFERENCES `locations`(`id`) ON DELETE CASCADE,
	`provider` text NOT NULL,
	`check_ref` text,
	`line_ref` text NOT NULL,
	`kind` text NOT NULL,
	`external_item_id` text NOT NULL,
	`external_name` text NOT NULL,
	`quantity` real NOT NULL,
	`modifiers` text NOT NULL,
	`revenue` real,
	`sold_at` text NOT NULL,
	`recipe_version_id` text REFERENCES `recipe_versions`(`id`) ON DELETE CASCADE,
	`applied_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sale_lines_ref_idx` ON `sale_lines` (`organization_id`, `provider`, `line_ref`, `kind`);
--> statement-breakpoint
CREATE INDEX `sale_lines_location_sold_idx` ON `sale_lines` (`location_id`, `sold_at`);
--> statement-breakpoint
CREATE INDEX `sale_lines_pending_idx` ON `sale_lines` (`organization_id`, `provider`, `external_item_id`) WHERE `applied_at` IS NULL;
--> statement-breakpoint
CREATE TABLE `sale_usages` (
	`sale_line_id` text NOT NULL REFERENCES `sale_lines`(`id`) ON DELETE CASCADE,
	`item_id` text NOT NULL REFERENCES `items`(`id`) ON DELETE CASCADE,
	`location_id` text NOT NULL,
	`ml` integer NOT NULL,
	`sold_at` text NOT NULL,
	`stock_event_id` text NOT NULL,
	PRIMARY KEY (`sale_line_id`, `item_id`)
);
--> statement-breakpoint
CREATE INDEX `sale_usages_location_sold_idx` ON `sale_usages` (`location_id`, `sold_at`);
--> statement-breakpoint
CREATE TABLE `csv_mappings` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`) ON DELETE CASCADE,
	`name` text NOT NULL,
	`config` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `csv_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`) ON DELETE CASCADE,
	`location_id` text NOT NULL REFERENCES `locations`(`id`) ON DELETE CASCADE,
	`mapping_id` text NOT NULL REFERENCES `csv_mappings`(`id`) ON DELETE CASCADE,
	`file_name` text NOT NULL,
	`result` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `licences` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`) ON DELETE CASCADE,
	`location_id` text NOT NULL REFERENCES `locations`(`id`) ON DELETE CASCADE,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`reference` text,
	`expires_on` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`) ON DELETE CASCADE,
	`location_id` text,
	`rule` text NOT NULL,
	`severity` text NOT NULL,
	`dedup_key` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`occurrences` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`last_seen_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alerts_dedup_idx` ON `alerts` (`organization_id`, `dedup_key`, `last_seen_at`);
--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`alert_id` text NOT NULL REFERENCES `alerts`(`id`) ON DELETE CASCADE,
	`user_id` text NOT NULL REFERENCES `users`(`id`) ON DELETE CASCADE,
	`read_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`user_id`, `created_at`);
--> statement-breakpoint
CREATE TABLE `alert_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`notification_id` text NOT NULL REFERENCES `notifications`(`id`) ON DELETE CASCADE,
	`channel` text NOT NULL,
	`address` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text NOT NULL,
	`last_error` text,
	`sent_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alert_deliveries_due_idx` ON `alert_deliveries` (`status`, `next_attempt_at`);
--> statement-breakpoint
CREATE TABLE `notification_preferences` (
	`user_id` text NOT NULL REFERENCES `users`(`id`) ON DELETE CASCADE,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`) ON DELETE CASCADE,
	`channel` text NOT NULL,
	`address` text NOT NULL,
	`min_severity` text NOT NULL,
	`quiet_start` text NOT NULL,
	`quiet_end` text NOT NULL,
	`timezone` text NOT NULL,
	PRIMARY KEY (`user_id`, `organization_id`, `channel`)
);
