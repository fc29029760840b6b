-- Forecasting and ordering (issue 4). Written by hand, kept in sync with src/db/schema-forecasting.ts.
-- Quantities: forecasts in the ledger's unit (ml, or units for countables); order lines in containers.

-- One forecasting job: the nightly cron (scope '*', id 'cron-<date>') or a manager's run now (scope = org).
-- `cursor` is the last series done as '<locationId>|<itemId>', so the job resumes where it stopped.
CREATE TABLE `forecast_runs` (
  `id` text PRIMARY KEY NOT NULL,
  `scope` text NOT NULL,
  `run_date` text NOT NULL,
  `cursor` text,
  `series_done` integer DEFAULT 0 NOT NULL,
  `series_failed` integer DEFAULT 0 NOT NULL,
  `started_at` text NOT NULL,
  `updated_at` text NOT NULL,
  `finished_at` text
);
CREATE INDEX `forecast_runs_open_idx` ON `forecast_runs` (`finished_at`, `started_at`);

-- The latest forecast per item and bar: 14 daily P10/P50/P90 (json) and the 7/14-day totals.
CREATE TABLE `forecasts` (
  `location_id` text NOT NULL REFERENCES `locations`(`id`),
  `item_id` text NOT NULL REFERENCES `items`(`id`),
  `organization_id` text NOT NULL REFERENCES `organizations`(`id`),
  `run_id` text NOT NULL,
  `start_date` text NOT NULL,
  `history_end_date` text NOT NULL,
  `observed_days` integer NOT NULL,
  `model` text NOT NULL,
  `components` text NOT NULL,
  `days` text NOT NULL,
  `totals` text NOT NULL,
  `backtest` text,
  `dispersion` real NOT NULL,
  `correlation` real NOT NULL,
  `cold_start` integer NOT NULL,
  `created_at` text NOT NULL,
  PRIMARY KEY(`location_id`, `item_id`)
);
CREATE INDEX `forecasts_org_idx` ON `forecasts` (`organization_id`, `location_id`);

-- Yesterday's forecast against what happened, one row per item, bar and day (accuracy tracking).
-- scale1/scale2: mean |one-step difference| and mean squared one-step difference of the history (M5 scales).
CREATE TABLE `forecast_scores` (
  `location_id` text NOT NULL REFERENCES `locations`(`id`),
  `item_id` text NOT NULL REFERENCES `items`(`id`),
  `organization_id` text NOT NULL REFERENCES `organizations`(`id`),
  `date` text NOT NULL,
  `actual` real NOT NULL,
  `mean` real NOT NULL,
  `p10` real NOT NULL,
  `p50` real NOT NULL,
  `p90` real NOT NULL,
  `scale1` real,
  `scale2` real,
  `model` text NOT NULL,
  PRIMARY KEY(`location_id`, `item_id`, `date`)
);
CREATE INDEX `forecast_scores_org_idx` ON `forecast_scores` (`organization_id`, `location_id`, `date`);

-- Per organization: service level and review period (manager), auto-approval limit (owner; null = off).
CREATE TABLE `ordering_settings` (
  `organization_id` text PRIMARY KEY NOT NULL REFERENCES `organizations`(`id`),
  `service_level` real DEFAULT 0.95 NOT NULL,
  `review_period_days` integer DEFAULT 7 NOT NULL,
  `auto_approve_limit` real,
  `updated_by` text,
  `updated_at` text NOT NULL
);

-- A par the manager pinned for an item at a bar (else the suggested par is shown beside the catalog one).
CREATE TABLE `par_levels` (
  `location_id` text NOT NULL REFERENCES `locations`(`id`),
  `item_id` text NOT NULL REFERENCES `items`(`id`),
  `organization_id` text NOT NULL REFERENCES `organizations`(`id`),
  `par_ml` integer NOT NULL,
  `pinned_by` text NOT NULL,
  `pinned_at` text NOT NULL,
  PRIMARY KEY(`location_id`, `item_id`)
);

-- Case-quantity discounts on an offer: from `min_cases` cases, `discount` (a fraction) off the price.
CREATE TABLE `offer_case_discounts` (
  `offer_id` text NOT NULL REFERENCES `supplier_offers`(`id`) ON DELETE CASCADE,
  `min_cases` integer NOT NULL,
  `discount` real NOT NULL,
  PRIMARY KEY(`offer_id`, `min_cases`)
);

-- Purchase orders: draft → approved → sent → partially_received / received → closed (or cancelled).
CREATE TABLE `purchase_orders` (
  `id` text PRIMARY KEY NOT NULL,
  `organization_id` text NOT NULL REFERENCES `organizations`(`id`),
  `location_id` text NOT NULL REFERENCES `locations`(`id`),
  `supplier_id` text NOT NULL REFERENCES `suppliers`(`id`),
  `status` text NOT NULL,
  `delivery_fee` real DEFAULT 0 NOT NULL,
  `minimum_order` real DEFAULT 0 NOT NULL,
  `lead_time_days` integer NOT NULL,
  `created_by` text,
  `created_at` text NOT NULL,
  `updated_at` text NOT NULL,
  `approved_by` text,
  `approved_at` text,
  `sent_at` text,
  `sent_by` text,
  `sent_via` text,
  `closed_at` text
);
CREATE INDEX `purchase_orders_org_idx` ON `purchase_orders` (`organization_id`, `location_id`, `status`);

CREATE TABLE `purchase_order_lines` (
  `id` text PRIMARY KEY NOT NULL,
  `order_id` text NOT NULL REFERENCES `purchase_orders`(`id`) ON DELETE CASCADE,
  `item_id` text NOT NULL REFERENCES `items`(`id`),
  `offer_id` text,
  `cases` integer NOT NULL,
  `case_size` integer NOT NULL,
  `quantity` integer NOT NULL,
  `unit_price` real NOT NULL,
  `line_total` real NOT NULL,
  `reason` text NOT NULL,
  `received_quantity` integer DEFAULT 0 NOT NULL,
  `received_unit_price` real
);
CREATE INDEX `purchase_order_lines_order_idx` ON `purchase_order_lines` (`order_id`);

-- Every status change of an order: who (a user, 'system' for auto-approval, or a gateway) and when.
CREATE TABLE `purchase_order_events` (
  `id` text PRIMARY KEY NOT NULL,
  `order_id` text NOT NULL REFERENCES `purchase_orders`(`id`) ON DELETE CASCADE,
  `from_status` text,
  `to_status` text NOT NULL,
  `actor_kind` text NOT NULL,
  `actor_id` text,
  `note` text,
  `at` text NOT NULL
);
CREATE INDEX `purchase_order_events_order_idx` ON `purchase_order_events` (`order_id`, `at`);

-- What arrived: from a manager's receipt or a gateway `receive` event (stock_event_id, once each). A row
-- without line_id is an item the order did not name (a substitution); short/over/price changed are derived.
CREATE TABLE `order_receipts` (
  `id` text PRIMARY KEY NOT NULL,
  `organization_id` text NOT NULL REFERENCES `organizations`(`id`),
  `location_id` text NOT NULL REFERENCES `locations`(`id`),
  `order_id` text REFERENCES `purchase_orders`(`id`) ON DELETE CASCADE,
  `line_id` text,
  `item_id` text NOT NULL REFERENCES `items`(`id`),
  `quantity` integer NOT NULL,
  `unit_price` real,
  `source` text NOT NULL,
  `stock_event_id` text UNIQUE,
  `received_by` text,
  `received_at` text NOT NULL
);
CREATE INDEX `order_receipts_order_idx` ON `order_receipts` (`order_id`);
