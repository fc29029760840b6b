ALTER TABLE `stock_events` ADD `waste_reason` text;--> statement-breakpoint
ALTER TABLE `stock_events` ADD `note` text;