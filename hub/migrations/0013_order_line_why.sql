-- The facts behind a draft line's reason (JSON, hub/src/ordering/order-schemas.ts lineWhySchema), so the
-- dashboard can say why the line is there in the manager's language; the English `reason` stays beside it.
-- Lines drafted before this migration have none (NULL) and show their English reason.
ALTER TABLE `purchase_order_lines` ADD `why` text;
