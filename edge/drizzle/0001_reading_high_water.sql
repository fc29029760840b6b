CREATE TABLE `reading_high_water` (
	`device_id` text NOT NULL,
	`channel` text NOT NULL,
	`last_seq` integer NOT NULL,
	`last_at` integer NOT NULL,
	PRIMARY KEY(`device_id`, `channel`)
);
