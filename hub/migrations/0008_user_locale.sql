-- Each person's language (auth/accounts.ts, GET/PATCH /auth/me): one of protocol's USER_LOCALES, NULL until
-- they choose one (the app then follows the browser). Numbered before 0009 by reservation; wrangler applies
-- any migration it has not recorded, so a database that already has 0009 still gets this one.
ALTER TABLE `users` ADD `locale` text;
