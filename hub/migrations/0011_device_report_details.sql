-- What the gateway now reports of each device besides its state (protocol/src/device-health.ts, all optional
-- there, so these columns stay NULL for gateways that do not send them): the last reading (JSON: grams, a
-- barcode or a frame's size, with its time), the firmware from the device's status, the config version pushed
-- and the one the device acknowledged, and its signs of trouble (JSON list).
ALTER TABLE `gateway_devices` ADD `last_reading` text;
--> statement-breakpoint
ALTER TABLE `gateway_devices` ADD `firmware` text;
--> statement-breakpoint
ALTER TABLE `gateway_devices` ADD `config_version` integer;
--> statement-breakpoint
ALTER TABLE `gateway_devices` ADD `config_acked_version` integer;
--> statement-breakpoint
ALTER TABLE `gateway_devices` ADD `trouble` text;
