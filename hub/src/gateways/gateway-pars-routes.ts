import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { gatewayParsSchema, type GatewayPars } from '@pourcast/protocol';
import { currentGateway } from '../auth/guards.ts';
import { runBatch } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { route } from '../http/route.ts';

interface ParRow {
  id: string;
  par_ml: number | null;
  on_hand_ml: number | null;
}

/**
 * The bar's active items with the par in force (pinned for the bar, else the catalog's) and the folded stock,
 * read in one statement together with the gateway's cursor so `ackSeq` is exactly what `onHandMl` includes.
 */
export async function gatewayPars(
  d1: D1Database,
  gateway: { gatewayId: string; organizationId: string; locationId: string },
): Promise<GatewayPars> {
  const [cursor, lines] = await runBatch<unknown>(d1, [
    sql`SELECT ack_seq FROM gateway_cursors WHERE gateway_id = ${gateway.gatewayId}`,
    sql`SELECT i.id, COALESCE(p.par_ml, i.par_level_ml) AS par_ml,
               s.sealed_containers * i.container_ml + s.open_ml AS on_hand_ml
          FROM items i
          LEFT JOIN par_levels p ON p.item_id = i.id AND p.location_id = ${gateway.locationId}
          LEFT JOIN stock_levels s ON s.item_id = i.id AND s.location_id = ${gateway.locationId}
         WHERE i.organization_id = ${gateway.organizationId} AND i.archived_at IS NULL
         ORDER BY i.name, i.id`,
  ]);
  const ackSeq = (cursor!.results[0] as { ack_seq: number } | undefined)?.ack_seq ?? 0;
  return {
    locationId: gateway.locationId,
    ackSeq,
    asOf: new Date().toISOString(),
    items: (lines!.results as ParRow[]).map((row) => ({
      itemId: row.id,
      parMl: row.par_ml,
      onHandMl: row.on_hand_ml ?? 0,
    })),
  };
}

export const gatewayParsRoutes = new Hono<HubEnv>().get(
  '/gateways/:id/pars',
  route({
    method: 'get',
    path: '/gateways/:id/pars',
    tag: 'gateways',
    summary:
      "The bar's items with their par and on-hand stock, for the staff display (gateway token, own id only)",
    access: { kind: 'gateway' },
    response: gatewayParsSchema,
  }),
  async (c) => c.json(await gatewayPars(c.env.DB, currentGateway(c)), 200),
);
