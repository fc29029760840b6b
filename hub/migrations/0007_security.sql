-- Security (issue 8, hub side). Written by hand, kept in sync with src/db/schema-security.ts.
-- Fixed-window counters for login backoff and webhook rate limits (auth/rate-limit.ts).
CREATE TABLE `rate_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` text NOT NULL,
	`count` integer NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`locked_until` text
);
--> statement-breakpoint
-- Every change a person or gateway makes through the API: who, what, when, before/after (secrets redacted).
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`actor_kind` text NOT NULL,
	`actor_id` text NOT NULL,
	`actor_role` text,
	`action` text NOT NULL,
	`path` text NOT NULL,
	`status` integer NOT NULL,
	`before` text,
	`after` text,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_org_at_idx` ON `audit_log` (`organization_id`, `at`);
--> statement-breakpoint
CREATE INDEX `audit_log_org_actor_idx` ON `audit_log` (`organization_id`, `actor_id`);
