-- How a forecast's daily demand spreads around its mean: variance = mean + dispersion·mean^dispersion_power.
-- 2 is the negative binomial every forecast used before (NB2); 1 (NB1) is chosen per series when its backtest
-- says the variance grows with the mean rather than its square. Older rows keep 2, which is what they are.
ALTER TABLE `forecasts` ADD `dispersion_power` integer DEFAULT 2 NOT NULL;
