-- Days past an order's expected delivery before it is called late (nothing came) or short (part came):
-- a manager's setting per organization, 2 as before it was one.
ALTER TABLE `ordering_settings` ADD `delivery_grace_days` integer DEFAULT 2 NOT NULL;
