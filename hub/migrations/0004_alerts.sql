-- Alert lifecycle (issue 5, item 6). Written by hand, kept in sync with src/db/schema-pos.ts.
-- An alert is open until a person acknowledges it or its rule stops seeing the condition (resolved);
-- at most one open alert per (organization, dedup key).
ALTER TABLE `alerts` ADD `status` text DEFAULT 'open' NOT NULL;
--> statement-breakpoint
ALTER TABLE `alerts` ADD `acknowledged_at` text;
--> statement-breakpoint
ALTER TABLE `alerts` ADD `acknowledged_by` text;
--> statement-breakpoint
ALTER TABLE `alerts` ADD `resolved_at` text;
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_open_dedup_idx` ON `alerts` (`organization_id`, `dedup_key`) WHERE `status` = 'open';
--> statement-breakpoint
CREATE INDEX `notifications_alert_idx` ON `notifications` (`alert_id`);
--> statement-breakpoint
CREATE INDEX `alert_deliveries_notification_idx` ON `alert_deliveries` (`notification_id`);
