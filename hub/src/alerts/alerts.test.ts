import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import {
  batch,
  call,
  claimGateway,
  createItem,
  createLocation,
  event,
  freshHub,
  otherOrganization,
  staff,
} from '../../test/helpers.ts';
import { openDb } from '../db/client.ts';
import { listAlerts } from './alert-store.ts';
import worker from '../index.ts';
import { evaluateAlerts, recordAlerts } from './evaluate.ts';

/**
 * One bar on the real D1: a gin poured with no sales (variance, below par), a silent gateway, a draft order
 * waiting, a short delivery and a licence expiring in 25 days; then de-duplication, acknowledgement and
 * resolution through the runner and the API.
 */
const NOW = new Date('2026-01-02T12:00:00Z');
let owner: string;
let manager: string;
let organizationId: string;
let locationId: string;
let gatewayId: string;
let ginId: string;
let draftId: string;

async function write(query: SQL) {
  await openDb(env.DB).run(query);
}

beforeAll(async () => {
  const session = await freshHub();
  owner = session.token;
  organizationId = session.user.organizationId;
  manager = (await staff(owner, 'manager')).token;
  locationId = await createLocation(owner, 'Main Bar');
  const gin = await createItem(owner, { name: 'Gin', parLevelMl: 1400 });
  ginId = gin.id;
  const gateway = await claimGateway(owner, locationId);
  gatewayId = gateway.gatewayId;
  // 13 pours of 60 ml on 2026-01-01 20:00, nothing sold: measured 780 ml, expected 0.
  const events = Array.from({ length: 13 }, (_, i) =>
    event(gatewayId, i + 1, { locationId, itemId: ginId, deltaMl: -60 }),
  );
  const sent = await call('POST', `/gateways/${gatewayId}/events`, {
    token: gateway.token,
    json: batch(gatewayId, 1, events),
  });
  expect(sent.status).toBe(200);
  await write(sql`UPDATE gateways SET last_seen_at = ${'2026-01-02T11:40:00.000Z'} WHERE id = ${gatewayId}`);
  // A supplier, a draft waiting 5 hours and a delivered order two bottles short.
  await write(
    sql`INSERT INTO suppliers (id, organization_id, name) VALUES ('sup1', ${organizationId}, 'Acme Drinks')`,
  );
  draftId = 'po-draft';
  for (const [id, status, createdAt] of [
    [draftId, 'draft', '2026-01-02T07:00:00.000Z'],
    ['po-short', 'received', '2025-12-30T07:00:00.000Z'],
  ])
    await write(
      sql`INSERT INTO purchase_orders (id, organization_id, location_id, supplier_id, status, lead_time_days, created_at, updated_at)
          VALUES (${id}, ${organizationId}, ${locationId}, 'sup1', ${status}, 2, ${createdAt}, ${createdAt})`,
    );
  await write(
    sql`INSERT INTO purchase_order_lines (id, order_id, item_id, cases, case_size, quantity, unit_price, line_total, reason, received_quantity)
        VALUES ('pol1', 'po-short', ${ginId}, 2, 6, 12, 20, 240, 'below par', 10)`,
  );
  await write(
    sql`INSERT INTO order_receipts (id, organization_id, location_id, order_id, line_id, item_id, quantity, unit_price, source, received_at)
        VALUES ('rc1', ${organizationId}, ${locationId}, 'po-short', 'pol1', ${ginId}, 10, 20, 'manual', '2026-01-01T10:00:00.000Z')`,
  );
});

describe('licences API', () => {
  let licenceId: string;
  it('records a licence per bar with days left, lists, changes and deletes it', async () => {
    const created = await call('POST', '/licences', {
      token: manager,
      json: { locationId, name: 'Alcohol licence', kind: 'licence', expiresOn: '2026-01-27' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      locationId,
      name: 'Alcohol licence',
      kind: 'licence',
      reference: null,
    });
    licenceId = created.body.id;
    const permit = await call('POST', '/licences', {
      token: owner,
      json: { locationId, name: 'Terrace permit', kind: 'permit', reference: 'T-1', expiresOn: '2030-01-01' },
    });
    expect(permit.status).toBe(201);
    const list = await call('GET', `/licences?locationId=${locationId}`, { token: manager });
    expect(list.body.licences.map((l: any) => l.name)).toEqual(['Alcohol licence', 'Terrace permit']);
    const patched = await call('PATCH', `/licences/${permit.body.id}`, {
      token: owner,
      json: { reference: 'T-2' },
    });
    expect(patched.body).toMatchObject({ reference: 'T-2', expiresOn: '2030-01-01', kind: 'permit' });
    expect((await call('DELETE', `/licences/${permit.body.id}`, { token: owner })).status).toBe(204);
    expect((await call('GET', `/licences/${permit.body.id}`, { token: owner })).status).toBe(404);
  });

  it('refuses bad input with path: message lines and another organization’s bar', async () => {
    const bad = await call('POST', '/licences', {
      token: owner,
      json: { locationId, name: '', kind: 'visa', expiresOn: '2026-13-01' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: string) => d.split(':')[0]).sort()).toEqual([
      'body.expiresOn',
      'body.kind',
      'body.name',
    ]);
    const other = await otherOrganization();
    const foreign = await call('POST', '/licences', {
      token: other.token,
      json: { locationId, name: 'Sneaky', kind: 'permit', expiresOn: '2027-01-01' },
    });
    expect(foreign.status).toBe(404);
    expect((await call('GET', `/licences/${licenceId}`, { token: other.token })).status).toBe(404);
  });
});

describe('the rules on the bar', () => {
  it('opens one alert per condition', async () => {
    const run = await evaluateAlerts(env.DB, organizationId, NOW);
    const byRule = Object.fromEntries(run.raised.map((a) => [a.rule, a]));
    expect(Object.keys(byRule).sort()).toEqual([
      'delivery_discrepancy',
      'gateway_offline',
      'licence_expiry',
      'low_stock',
      'order_awaiting_approval',
      'variance',
    ]);
    expect(byRule.low_stock).toMatchObject({
      severity: 'critical',
      dedupKey: `low_stock:${locationId}:${ginId}`,
    });
    expect(byRule.variance!.body).toContain('780 ml more poured than sold');
    expect(byRule.gateway_offline).toMatchObject({ severity: 'warning' });
    expect(byRule.gateway_offline!.body).toContain('20 minutes');
    expect(byRule.order_awaiting_approval!.dedupKey).toBe(`order_awaiting_approval:${draftId}`);
    expect(byRule.delivery_discrepancy!.body).toBe('Gin: short (10 of 12)');
    expect(byRule.licence_expiry).toMatchObject({ severity: 'warning' });
    expect(byRule.licence_expiry!.title).toContain('expires in 25 day(s)');
    expect(run.deduplicated).toBe(0);
  });

  it('never opens a second alert for the same condition: it counts occurrences and takes the new severity', async () => {
    const later = new Date(NOW.getTime() + 50 * 60_000);
    const run = await evaluateAlerts(env.DB, organizationId, later);
    expect([run.raised.length, run.deduplicated, run.resolved]).toEqual([0, 6, 0]);
    const open = await listAlerts(env.DB, organizationId, 'open');
    expect(open).toHaveLength(6);
    const gateway = open.find((a) => a.rule === 'gateway_offline')!;
    expect([gateway.occurrences, gateway.severity, gateway.lastSeenAt]).toEqual([
      2,
      'critical',
      later.toISOString(),
    ]);
  });

  it('lists open alerts and lets a manager acknowledge one: it stays quiet for its snooze', async () => {
    const listed = await call('GET', '/alerts?status=open', { token: manager });
    expect(listed.status).toBe(200);
    const gateway = listed.body.alerts.find((a: any) => a.rule === 'gateway_offline');
    const ack = await call('POST', `/alerts/${gateway.id}/acknowledge`, { token: manager });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ status: 'acknowledged', id: gateway.id });
    const again = await evaluateAlerts(env.DB, organizationId, new Date(NOW.getTime() + 60 * 60_000));
    expect(again.raised).toEqual([]);
    expect((await listAlerts(env.DB, organizationId, 'open')).map((a) => a.rule)).not.toContain(
      'gateway_offline',
    );
    expect((await call('POST', '/alerts/no-such-alert/acknowledge', { token: manager })).status).toBe(404);
    expect((await call('GET', '/alerts?status=gone', { token: manager })).status).toBe(400);
  });

  it('resolves an alert whose condition is gone, and opens a new one when it comes back', async () => {
    await write(sql`UPDATE purchase_orders SET status = 'approved' WHERE id = ${draftId}`);
    const run = await evaluateAlerts(env.DB, organizationId, new Date(NOW.getTime() + 70 * 60_000));
    expect([run.raised.length, run.resolved]).toEqual([0, 1]);
    const resolved = await listAlerts(env.DB, organizationId, 'resolved');
    expect(resolved.map((a) => a.rule)).toEqual(['order_awaiting_approval']);
    await write(sql`UPDATE purchase_orders SET status = 'draft' WHERE id = ${draftId}`);
    const back = await evaluateAlerts(env.DB, organizationId, new Date(NOW.getTime() + 80 * 60_000));
    expect(back.raised.map((a) => a.rule)).toEqual(['order_awaiting_approval']);
  });

  it('sends each licence reminder once and the next step as a new alert', async () => {
    const licence = (await listAlerts(env.DB, organizationId, 'open')).find(
      (a) => a.rule === 'licence_expiry',
    )!;
    await call('POST', `/alerts/${licence.id}/acknowledge`, { token: owner });
    const weekLater = await evaluateAlerts(env.DB, organizationId, new Date('2026-01-09T12:00:00Z'));
    expect(weekLater.raised.filter((a) => a.rule === 'licence_expiry')).toEqual([]);
    const sevenDays = await evaluateAlerts(env.DB, organizationId, new Date('2026-01-20T12:00:00Z'));
    const [step] = sevenDays.raised.filter((a) => a.rule === 'licence_expiry');
    expect(step).toMatchObject({ severity: 'critical' });
    expect(step!.dedupKey.endsWith(':7')).toBe(true);
  });

  it("runs from the Worker's cron tick beside the forecasting job", async () => {
    const permit = await call('POST', '/licences', {
      token: owner,
      json: { locationId, name: 'Late licence', kind: 'permit', expiresOn: '2026-01-24' },
    });
    expect(permit.status).toBe(201);
    const ctx = createExecutionContext();
    const scheduledTime = Date.parse('2026-01-21T12:00:00Z');
    worker.scheduled(createScheduledController({ scheduledTime, cron: '*/10 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    const open = await listAlerts(env.DB, organizationId, 'open');
    const late = open.find((a) => a.title.includes('Late licence'));
    expect(late).toMatchObject({
      rule: 'licence_expiry',
      severity: 'critical',
      createdAt: '2026-01-21T12:00:00.000Z',
    });
    const runs = await openDb(env.DB).get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM forecast_runs`);
    expect(runs!.n).toBeGreaterThan(0);
  });

  it('runs now through POST /alerts/run for owners and managers', async () => {
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    await call('POST', '/licences', {
      token: owner,
      json: { locationId, name: 'Renew me', kind: 'licence', expiresOn: soon },
    });
    const run = await call('POST', '/alerts/run', { token: manager });
    expect(run.status).toBe(200);
    const open = await listAlerts(env.DB, organizationId, 'open');
    expect(open.find((a) => a.title.includes('Renew me'))).toMatchObject({ severity: 'critical' });
    expect(run.body.raised).toBeGreaterThanOrEqual(1);
    expect(Object.keys(run.body).sort()).toEqual([
      'deduplicated',
      'delivered',
      'failed',
      'raised',
      'resolved',
    ]);
    expect(
      (await call('POST', '/alerts/run', { token: (await staff(owner, 'bartender')).token })).status,
    ).toBe(403);
  });

  it('resolves only what the rules that ran no longer see (a failed rule leaves its alerts open)', async () => {
    const open = await listAlerts(env.DB, organizationId, 'open');
    const licences = open.filter((a) => a.rule === 'licence_expiry');
    expect(licences.length).toBeGreaterThan(0);
    const run = await recordAlerts(env.DB, organizationId, [], new Date(), ['licence_expiry']);
    expect(run.resolved).toBe(licences.length);
    const after = await listAlerts(env.DB, organizationId, 'open');
    expect(after.map((a) => a.id).sort()).toEqual(
      open
        .filter((a) => a.rule !== 'licence_expiry')
        .map((a) => a.id)
        .sort(),
    );
  });
});
