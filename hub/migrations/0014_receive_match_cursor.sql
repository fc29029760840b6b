-- The order matcher looks at each gateway `receive` event, and each staff undo, once. A delivery scan it took
-- onto an order is marked by its receipt (order_receipts.stock_event_id), an undo it took off one by the
-- reversing receipt (stock_event_id = the undo's id). Every other event it examined gets a row here with what
-- it decided and when, so events no open order takes (scans from before an approval, deliveries from
-- elsewhere, undone scans) are not examined again and cannot pile up in front of new deliveries.
--   no_order       a receive event no open order at the bar could take
--   undone         a receive event the staff display had already undone: never counted
--   not_a_receipt  an undo whose event was not a delivery on an order (a waste entry, an unmatched scan)
--   order_closed   an undo of a delivery on an order closed or cancelled since: the order is left as it is
CREATE TABLE `receive_match_decisions` (
  `stock_event_id` text PRIMARY KEY NOT NULL REFERENCES `stock_events`(`id`) ON DELETE CASCADE,
  `organization_id` text NOT NULL REFERENCES `organizations`(`id`),
  `outcome` text NOT NULL,
  `decided_at` text NOT NULL
);
-- The matcher's candidates: delivery scans, and the display's entries (undos among them), per organization.
CREATE INDEX `stock_events_receive_idx` ON `stock_events` (`organization_id`, `observed_at`)
  WHERE `kind` = 'receive' AND `delta_ml` > 0;
CREATE INDEX `stock_events_display_slot_idx` ON `stock_events` (`gateway_id`, `slot`)
  WHERE `source` = 'display';
