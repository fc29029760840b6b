import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { locale, t, useCatalogs } from '../shared/i18n.ts';
import { MANAGER_CATALOGS } from './catalogs/index.ts';
import { quantityText, whyText } from './views/orders-view.tsx';

type Why = Parameters<typeof whyText>[0];

/** The facts of "3 cases of 6: 14-day P95 demand 52 bottles, on hand 18 bottles, arriving 6 bottles; …". */
const forecastLine: Why = {
  cases: 3,
  caseSize: 6,
  containerLabel: 'bottles',
  target: { basis: 'forecast', coverDays: 14, servicePercent: 95, demandContainers: 52 },
  onHandContainers: 18,
  arrivingContainers: 6,
  supplierName: 'Metro',
  landedPerContainer: 17.2,
  alternatives: [
    { supplierName: 'Makro', landedPerContainer: 18.1 },
    { supplierName: 'Bodega', tooSlowLeadTimeDays: 5 },
  ],
  minimumTopUp: { cases: 1, minimumOrder: 150 },
  editedToCases: 4,
};

const parLine: Why = {
  cases: 1,
  caseSize: 1,
  containerLabel: 'kegs',
  target: { basis: 'pinned-par', parContainers: 2.5 },
  onHandContainers: 1,
  arrivingContainers: 0,
  supplierName: 'Brewery',
  landedPerContainer: 95.5,
  alternatives: [],
};

/** The English words a reason is made of: none may be left in a translated one. */
const ENGLISH =
  /\b(cases?|bottles?|kegs?|units?|on hand|arriving|landed|delivered|demand|days?|sales|sure|vs|too slow|minimum|edited|below|pinned)\b/i;

beforeAll(() => useCatalogs(MANAGER_CATALOGS));
afterEach(() => {
  locale.value = 'en-US';
});

describe("a draft line's reason in the manager's language", () => {
  it('reads in English from the facts', () => {
    expect(whyText(forecastLine, 'USD')).toBe(
      '3 cases of 6: 52 bottles to cover 14 days of sales (95% sure), on hand 18 bottles, arriving 6 bottles; ' +
        'Metro $17.20 per bottle delivered (vs Makro $18.10, Bodega too slow (5 days)); ' +
        '+1 case to reach the Metro minimum of $150.00; edited to 4 cases',
    );
    expect(whyText(parLine, 'USD')).toBe(
      '1 case of 1: below the pinned par of 2.5 kegs, on hand 1 keg, arriving 0 kegs; Brewery $95.50 per keg delivered',
    );
  });

  it('reads in Spanish, numbers and money the Spanish way, no English left', () => {
    locale.value = 'es';
    const text = whyText(forecastLine, 'EUR');
    expect(text).toBe(
      '3 cajas de 6: 52 botellas para cubrir 14 días de ventas (con un 95 % de seguridad), en existencia 18 botellas, ' +
        'por llegar 6 botellas; Metro a 17,20\u00a0€ por botella con la entrega (frente a Makro a 18,10\u00a0€, ' +
        'Bodega, que tarda demasiado (5 días)); +1 caja para llegar al pedido mínimo de Metro, 150,00\u00a0€; ' +
        'cambiado a 4 cajas',
    );
    expect(text).not.toMatch(ENGLISH);
    const keg = whyText(parLine, 'EUR');
    expect(keg).toBe(
      '1 caja de 1: por debajo del nivel par fijado de 2,5 barriles, en existencia 1 barril, por llegar 0 barriles; ' +
        'Brewery a 95,50\u00a0€ por barril con la entrega',
    );
    expect(keg).not.toMatch(ENGLISH);
  });

  it('reads in Hindi, no English left', () => {
    locale.value = 'hi';
    const text = whyText(forecastLine, 'INR');
    expect(text).toBe(
      '6 के 3 केस: 14 दिन की बिक्री के लिए 52 बोतलें (95% भरोसे के साथ), उपलब्ध 18 बोतलें, आने वाली 6 बोतलें; ' +
        'Metro: डिलीवरी सहित ₹17.20 प्रति बोतल (तुलना में Makro ₹18.10, Bodega बहुत देर से (5 दिन)); ' +
        'Metro के न्यूनतम ऑर्डर ₹150.00 तक पहुँचने के लिए +1 केस; बदलकर 4 केस किया गया',
    );
    expect(text).not.toMatch(ENGLISH);
    const keg = whyText(parLine, 'INR');
    expect(keg).toBe(
      '1 के 1 केस: तय पार स्तर (2.5 केग) से कम, उपलब्ध 1 केग, आने वाली 0 केग; Brewery: डिलीवरी सहित ₹95.50 प्रति केग',
    );
    expect(keg).not.toMatch(ENGLISH);
  });
});

describe("an order line's quantity, in what the bar counts the item in", () => {
  beforeAll(() => useCatalogs(MANAGER_CATALOGS));
  afterEach(() => {
    locale.value = 'en-US';
  });
  const cans = { category: 'mixer', unit: 'unit' } as const;
  const lager = { category: 'keg', unit: 'ml' } as const;
  const gin = { category: 'spirit', unit: 'ml' } as const;

  it('names bottles, kegs or units by the line, not bottles for every line', () => {
    expect(quantityText({ quantity: 12, why: forecastLine }, gin)).toBe('12 bottles');
    expect(quantityText({ quantity: 2, why: parLine }, lager)).toBe('2 kegs');
    // A line drafted before its reason's facts were kept: the item's own unit says it.
    expect(quantityText({ quantity: 24, why: null }, cans)).toBe('24 units');
    expect(quantityText({ quantity: 1, why: null }, lager)).toBe('1 keg');
    expect(quantityText({ quantity: 24, why: null }, undefined)).toBe('24');
    locale.value = 'es';
    expect(quantityText({ quantity: 24, why: null }, cans)).toBe('24 unidades');
    locale.value = 'hi';
    expect(quantityText({ quantity: 24, why: null }, cans)).toBe('24 इकाइयाँ');
  });

  it('heads the column as a quantity, in each language', () => {
    expect(t('orders.quantity')).toBe('Quantity');
    locale.value = 'es';
    expect(t('orders.quantity')).toBe('Cantidad');
    locale.value = 'hi';
    expect(t('orders.quantity')).toBe('मात्रा');
  });
});
