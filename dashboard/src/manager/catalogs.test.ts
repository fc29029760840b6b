import { describe, expect, it } from 'vitest';
import { ITEM_CATEGORIES, ROLES, ALERT_SEVERITIES, FORECAST_MODEL_NAMES } from '@pourcast/protocol';
import { keysUsedIn } from '../shared/catalog-keys.ts';
import { missingTranslations } from '../shared/i18n.ts';
import { MANAGER_CATALOGS } from './catalogs/index.ts';
import { SCREENS } from './router.ts';

const en = MANAGER_CATALOGS.en;

describe('manager app catalogs', () => {
  it('translate every English string into Spanish and Hindi', () => {
    expect(missingTranslations(MANAGER_CATALOGS)).toEqual({ en: [], es: [], hi: [] });
  });

  it('hold every key the code asks for (plain or as plural forms)', () => {
    const missing = keysUsedIn(import.meta.dirname).filter((key) => !(key in en) && !(`${key}.other` in en));
    expect(missing).toEqual([]);
  });

  it('name every screen, role, category, level, severity, order status and report column shown', () => {
    const dynamic = [
      ...SCREENS.map((s) => `nav.${s}`),
      ...ROLES.map((r) => `role.${r}`),
      ...ITEM_CATEGORIES.map((c) => `category.${c}`),
      ...['out', 'critical', 'low', 'ok', 'unset'].map((l) => `level.${l}`),
      ...ALERT_SEVERITIES.map((s) => `severity.${s}`),
      ...['draft', 'approved', 'sent', 'partially_received', 'received', 'closed', 'cancelled'].map(
        (s) => `orderStatus.${s}`,
      ),
      ...['online', 'offline', 'revoked'].map((s) => `gateways.${s}`),
      ...['today', 'week', 'month'].map((p) => `period.${p}`),
      ...['spill', 'breakage', 'comp', 'spoiled', 'expired', 'other'].map((r) => `waste.reason.${r}`),
      ...['display', 'scanner', 'manual', 'scale', 'camera'].map((s) => `waste.source.${s}`),
      ...FORECAST_MODEL_NAMES.map((m) => `model.${m}`),
      ...['short', 'over', 'price_changed'].map((f) => `orders.flag.${f}`),
    ];
    expect(dynamic.filter((key) => !(key in en))).toEqual([]);
  });
});
