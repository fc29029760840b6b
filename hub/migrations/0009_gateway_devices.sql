-- The latest device report of each gateway (hub/src/db/schema-device-health.ts): state and scale drift per
-- device, replaced as a whole on every report; the scale_recalibration alert rule reads it.
CREATE TABLE `gateway_devices` (
	`gateway_id` text NOT NULL REFERENCES `gateways`(`id`) ON DELETE CASCADE,
	`device_id` text NOT NULL,
	`kind` text NOT NULL,
	`model` text NOT NULL,
	`state` text NOT NULL,
	`last_status_at` text,
	`calibrated_at` text,
	`drift` text NOT NULL,
	`reported_at` text NOT NULL,
	PRIMARY KEY (`gateway_id`, `device_id`)
);
