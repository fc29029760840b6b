-- Stations of a bar and the POS line's station and staff (issue 5, items 3 and 7). Written by hand, kept in
-- sync with src/db/schema-stations.ts and the sale_lines table of src/db/schema-pos.ts.
CREATE TABLE `stations` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`) ON DELETE CASCADE,
	`location_id` text NOT NULL REFERENCES `locations`(`id`) ON DELETE CASCADE,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `stations_location_name_idx` ON `stations` (`location_id`, `name_key`);
--> statement-breakpoint
-- A gateway device (scale, camera) stands at one station of its bar.
CREATE TABLE `station_devices` (
	`location_id` text NOT NULL REFERENCES `locations`(`id`) ON DELETE CASCADE,
	`device_id` text NOT NULL,
	`station_id` text NOT NULL REFERENCES `stations`(`id`) ON DELETE CASCADE,
	PRIMARY KEY(`location_id`, `device_id`)
);
--> statement-breakpoint
CREATE TABLE `station_staff` (
	`station_id` text NOT NULL REFERENCES `stations`(`id`) ON DELETE CASCADE,
	`user_id` text NOT NULL REFERENCES `users`(`id`) ON DELETE CASCADE,
	PRIMARY KEY(`station_id`, `user_id`)
);
--> statement-breakpoint
ALTER TABLE `sale_lines` ADD `station` text;
--> statement-breakpoint
ALTER TABLE `sale_lines` ADD `staff` text;
--> statement-breakpoint
-- Browsers' push subscriptions per user (the webpush notification channel, RFC 8030/8291).
CREATE TABLE `push_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL REFERENCES `users`(`id`) ON DELETE CASCADE,
	`endpoint` text NOT NULL,
	`p256dh` text NOT NULL,
	`auth` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `push_subscriptions_user_endpoint_idx` ON `push_subscriptions` (`user_id`, `endpoint`);
