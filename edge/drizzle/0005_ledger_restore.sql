CREATE TABLE `ledger_restore` (
	`id` integer PRIMARY KEY NOT NULL,
	`restore_point` integer NOT NULL,
	`restored_at` integer NOT NULL,
	`backup_file` text NOT NULL
);
