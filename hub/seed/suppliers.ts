import type { ItemInput, SupplierInput } from '@pourcast/protocol';

type Category = ItemInput['category'];

export interface DemoSupplier extends SupplierInput {
  name: string;
  /** Which categories it carries, and on what terms (price relative to the item's cost). */
  terms: {
    categories: Category[];
    priceFactor: number;
    caseSize: number;
    leadTimeDays: number;
    minimumOrder: number;
  };
}

export const DEMO_SUPPLIERS: DemoSupplier[] = [
  {
    name: 'Harbour Wine & Spirits',
    email: 'orders@harbourwines.example',
    phone: '+1 415 555 0142',
    deliveryFee: 15,
    terms: {
      categories: ['spirit', 'liqueur'],
      priceFactor: 1,
      caseSize: 6,
      leadTimeDays: 2,
      minimumOrder: 150,
    },
  },
  {
    name: 'Northside Beverage Co.',
    email: 'sales@northsidebev.example',
    phone: '+1 415 555 0187',
    deliveryFee: 0,
    terms: {
      categories: ['spirit', 'wine'],
      priceFactor: 0.95,
      caseSize: 12,
      leadTimeDays: 5,
      minimumOrder: 400,
    },
  },
  {
    name: 'Copperline Brewing Distribution',
    email: 'kegs@copperline.example',
    phone: '+1 415 555 0119',
    deliveryFee: 25,
    terms: { categories: ['beer', 'keg'], priceFactor: 1, caseSize: 24, leadTimeDays: 1, minimumOrder: 100 },
  },
  {
    name: 'Vine & Bubble Importers',
    email: 'hello@vineandbubble.example',
    phone: null,
    deliveryFee: 10,
    terms: {
      categories: ['wine', 'sparkling'],
      priceFactor: 1.02,
      caseSize: 6,
      leadTimeDays: 3,
      minimumOrder: 200,
    },
  },
];
