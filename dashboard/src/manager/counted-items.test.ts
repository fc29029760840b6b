import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { locale, useCatalogs } from '../shared/i18n.ts';
import { MANAGER_CATALOGS } from './catalogs/index.ts';
import { reportAmountText } from './counted-items.ts';

describe("a report's amounts in the unit the hub says", () => {
  beforeAll(() => useCatalogs(MANAGER_CATALOGS));
  afterEach(() => {
    locale.value = 'en-US';
  });

  it('shows units as units (a tenth at most) and ml as a volume, in the language chosen', () => {
    expect(reportAmountText(44, 'unit')).toBe('44 units');
    expect(reportAmountText(1, 'unit')).toBe('1 unit');
    expect(reportAmountText(2.46, 'unit')).toBe('2.5 units');
    expect(reportAmountText(-3, 'unit')).toBe('-3 units');
    expect(reportAmountText(1500, 'unit')).toBe('1,500 units');
    expect(reportAmountText(980, 'ml')).toBe('980 ml');
    expect(reportAmountText(1500, 'ml')).toBe('1.5 L');
    locale.value = 'es';
    expect(reportAmountText(44, 'unit')).toBe('44 unidades');
    locale.value = 'hi';
    expect(reportAmountText(44, 'unit')).toBe('44 इकाइयाँ');
  });
});
