-- Calendar and weather inputs of the forecast (issue 4, item 2). Written by hand, kept in sync with
-- src/db/schema-calendar.ts.
-- Dated events per bar: entered by a manager (source 'manual') or read from the bar's iCalendar feed
-- (source 'ical', replaced wholesale on each refresh; `uid` is the VEVENT UID).
CREATE TABLE `location_events` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`location_id` text NOT NULL,
	`date` text NOT NULL,
	`name` text NOT NULL,
	`kind` text DEFAULT 'event' NOT NULL,
	`source` text DEFAULT 'manual' NOT NULL,
	`uid` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `location_events_location_date_idx` ON `location_events` (`location_id`, `date`);
--> statement-breakpoint
-- Per bar: the iCalendar feed and the coordinates for weather, with when each was last fetched (the bar's
-- local date, so at most one fetch per bar per day) and the last fetch error a manager can act on.
CREATE TABLE `location_calendars` (
	`location_id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`ical_url` text,
	`latitude` real,
	`longitude` real,
	`ical_fetched_on` text,
	`ical_error` text,
	`weather_fetched_on` text,
	`weather_error` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Daily weather per bar (observed for past days, forecast for coming ones; a later fetch overwrites).
CREATE TABLE `weather_days` (
	`location_id` text NOT NULL,
	`date` text NOT NULL,
	`temperature_max` real,
	`precipitation` real,
	`fetched_on` text NOT NULL,
	PRIMARY KEY(`location_id`, `date`),
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action
);
