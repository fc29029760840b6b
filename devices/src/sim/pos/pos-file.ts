import { readFile } from 'node:fs/promises';
import { z } from 'zod';

export const POS_FILE_VERSION = 1;

/**
 * What the simulated POS needs (written by scripts/lib/demo-pos.ts beside the bar file, 0600: it holds the
 * webhook's signing secret): where the hub's Tabit webhook is, which station each scale stands at and who
 * works it, the Tabit id of each bottle's menu item, the modifier for each measure, and the heavy hand.
 */
export const posFileSchema = z.strictObject({
  version: z.literal(POS_FILE_VERSION),
  provider: z.literal('tabit'),
  webhookUrl: z.url(),
  signingSecret: z.string().min(16),
  stations: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        staff: z.string().min(1),
        deviceIds: z.array(z.string().min(1)).min(1),
      }),
    )
    .min(1),
  /** Bar-file item id → the POS's menu item (id, name, price of the standard pour). */
  menu: z.record(
    z.string(),
    z.strictObject({ externalId: z.string().min(1), name: z.string().min(1), price: z.number().min(0) }),
  ),
  /** The standard pour the menu price is for; other measures are sent with their modifier. */
  standardMl: z.number().int().positive(),
  modifiers: z.record(z.string().regex(/^\d+$/), z.string().min(1)),
  /** One bartender's heavy hand: the slots (`deviceId/platform`) poured `factor` × what is rung up. */
  overpour: z
    .strictObject({ slots: z.array(z.string()).min(1), factor: z.number().min(1).max(3) })
    .optional(),
});
export type PosFile = z.infer<typeof posFileSchema>;

export async function loadPosFile(path: string): Promise<PosFile> {
  const parsed = posFileSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success)
    throw new Error(
      `${path} is not a valid POS file:\n${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('\n')}`,
    );
  return parsed.data;
}
