import { beforeAll, describe, expect, it } from 'vitest';
import { useCatalogs } from '../../shared/i18n.ts';
import { MANAGER_CATALOGS } from '../catalogs/index.ts';
import { differences } from './orders-view.tsx';

beforeAll(() => useCatalogs(MANAGER_CATALOGS));

describe("an order's delivery differences", () => {
  it('names each flagged line with what came against what was ordered, then what came instead', () => {
    const line = (itemName: string, quantity: number, receivedQuantity: number, flags: string[]) => ({
      itemName,
      quantity,
      receivedQuantity,
      flags,
    });
    expect(
      differences({
        lines: [
          line('Gin', 12, 8, ['short']),
          line('Rum', 6, 6, []),
          line('Vermouth', 6, 7, ['over', 'price_changed']),
        ],
        substitutions: [{ itemName: 'Tonic Can 150', quantity: 24 }],
      }),
    ).toEqual([
      'Gin short (8 of 12 received)',
      'Vermouth over, price changed (7 of 6 received)',
      'Tonic Can 150 came instead (24)',
    ]);
    expect(differences({ lines: [line('Rum', 6, 6, [])], substitutions: [] })).toEqual([]);
  });
});
