-- A draft a manager edited (a line's cases changed or a line removed) is stamped `edited_at`: the nightly
-- drafting keeps it and leaves its items out of the new drafts, and replaces only untouched drafts.
ALTER TABLE `purchase_orders` ADD `edited_at` text;
-- Two drafting runs at once (a manager's "draft now" beside the nightly job, a double click) could each
-- insert a full set of drafts. Before the index below, any such doubles are cancelled, newest kept, audited.
INSERT INTO `purchase_order_events` (`id`, `order_id`, `from_status`, `to_status`, `actor_kind`, `actor_id`, `note`, `at`)
  SELECT lower(hex(randomblob(16))), o.`id`, 'draft', 'cancelled', 'system', NULL,
         'replaced by a newer draft for the same bar and supplier', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    FROM `purchase_orders` o
   WHERE o.`status` = 'draft' AND EXISTS (
     SELECT 1 FROM `purchase_orders` n WHERE n.`status` = 'draft' AND n.`location_id` = o.`location_id`
        AND n.`supplier_id` = o.`supplier_id` AND n.`id` > o.`id`);
UPDATE `purchase_orders` SET `status` = 'cancelled', `updated_at` = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
 WHERE `status` = 'draft' AND EXISTS (
   SELECT 1 FROM `purchase_orders` n WHERE n.`status` = 'draft' AND n.`location_id` = `purchase_orders`.`location_id`
      AND n.`supplier_id` = `purchase_orders`.`supplier_id` AND n.`id` > `purchase_orders`.`id`);
-- At most one untouched draft per bar and supplier; a second insert is ignored (ON CONFLICT DO NOTHING), so
-- a lost race is not an error. An edited draft stands beside the one new draft holding the other items.
CREATE UNIQUE INDEX `purchase_orders_one_draft_idx` ON `purchase_orders` (`location_id`, `supplier_id`)
  WHERE `status` = 'draft' AND `edited_at` IS NULL;
