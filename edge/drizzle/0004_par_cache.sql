CREATE TABLE `par_cache` (
	`id` integer PRIMARY KEY NOT NULL,
	`location_id` text NOT NULL,
	`pars` text NOT NULL,
	`fetched_at` integer NOT NULL
);
