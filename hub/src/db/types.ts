import type { z } from 'zod';
import type { itemCategorySchema, Role, StockLine } from '@pourcast/protocol';

export type { Role };
export type ItemCategory = z.infer<typeof itemCategorySchema>;
/** Where the last fact about an item's stock came from: a gateway source, `seed` or `pos`. */
export type StockLineSource = NonNullable<StockLine['lastSource']>;
