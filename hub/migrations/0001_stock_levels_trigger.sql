-- Keeps stock_levels folded from the append-only ledger in the same statement as each insert
-- (protocol/src/stock-event.ts: sealed += containersDelta; openMl += deltaMl - containersDelta * containerMl).
-- The latest observation (ties: the later insert) sets lastObservedAt and lastSource.
-- inventory/rebuild-stock-levels.ts recomputes the same table from the ledger.
CREATE TRIGGER `stock_events_fold_into_levels` AFTER INSERT ON `stock_events`
BEGIN
  INSERT INTO `stock_levels` (`location_id`, `item_id`, `sealed_containers`, `open_ml`, `last_observed_at`, `last_source`)
  VALUES (
    NEW.`location_id`,
    NEW.`item_id`,
    NEW.`containers_delta`,
    NEW.`delta_ml` - NEW.`containers_delta` * NEW.`container_ml`,
    NEW.`observed_at`,
    NEW.`source`
  )
  ON CONFLICT (`location_id`, `item_id`) DO UPDATE SET
    `sealed_containers` = `sealed_containers` + excluded.`sealed_containers`,
    `open_ml` = `open_ml` + excluded.`open_ml`,
    `last_source` = CASE
      WHEN `last_observed_at` IS NULL OR excluded.`last_observed_at` >= `last_observed_at` THEN excluded.`last_source`
      ELSE `last_source` END,
    `last_observed_at` = CASE
      WHEN `last_observed_at` IS NULL OR excluded.`last_observed_at` >= `last_observed_at` THEN excluded.`last_observed_at`
      ELSE `last_observed_at` END;
END;
