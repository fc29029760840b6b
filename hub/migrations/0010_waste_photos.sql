-- The optional photo of a waste event (hub/src/db/schema-waste-photos.ts): one per ledger event, uploaded by the
-- gateway that logged the event after the hub acknowledged it; read by managers and owners.
CREATE TABLE `waste_photos` (
	`event_id` text PRIMARY KEY NOT NULL REFERENCES `stock_events`(`id`) ON DELETE CASCADE,
	`organization_id` text NOT NULL REFERENCES `organizations`(`id`),
	`content_type` text NOT NULL,
	`bytes` blob NOT NULL,
	`size` integer NOT NULL,
	`taken_by` text,
	`taken_at` text NOT NULL,
	`uploaded_at` text NOT NULL
);
CREATE INDEX `waste_photos_organization_idx` ON `waste_photos` (`organization_id`);
