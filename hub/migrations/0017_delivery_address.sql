-- Where a bar's deliveries go: printed on its purchase orders and in the email to the supplier; null
-- until the owner enters it (orders then name the bar only).
ALTER TABLE `locations` ADD `delivery_address` text;
