import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse } from '@pourcast/protocol';
import { call, createItem, createLocation, freshHub, staff } from '../../test/helpers.ts';
import { openDb } from '../db/client.ts';
import { draftAllLocations, draftOrders } from './draft-orders.ts';
import { httpEmailSender } from './email/email-sender.ts';
import { csvField } from './export-csv.ts';
import { loadNeeds } from './load-needs.ts';
import { readOrder } from './orders.ts';
import { sendOrder } from './send-order.ts';

/**
 * Drafting and approval on the real D1: a bar's drafts are one per supplier even when drafting runs
 * twice at once, a manager's edited draft survives the nightly drafting, approval refuses empty orders
 * and orders below the supplier's minimum, and approved_by names the approver only.
 */
let owner: LoginResponse;
let manager: LoginResponse;
let orgId: string;
let ginId: string;
let rumId: string;

const drafts = (locationId: string) =>
  openDb(env.DB).all<{ id: string; status: string }>(
    sql`SELECT id, status FROM purchase_orders WHERE location_id = ${locationId} ORDER BY id`,
  );
const ok = async (status: number, answer: Promise<{ status: number; body: any }>) => {
  const { status: got, body } = await answer;
  expect(got, JSON.stringify(body)).toBe(status);
  return body;
};
const draftNow = (locationId: string, token = manager.token) =>
  call('POST', `/orders/draft?locationId=${locationId}`, { token });
const lineOf = (order: any, itemId: string) => order.lines.find((l: any) => l.itemId === itemId);
const setAutoApproval = (autoApproveLimit: number | null) =>
  ok(200, call('PATCH', '/ordering/auto-approval', { token: owner.token, json: { autoApproveLimit } }));

beforeAll(async () => {
  owner = await freshHub();
  orgId = owner.user.organizationId;
  manager = await staff(owner.token, 'manager');
  // No stock anywhere: gin to its par of 6 bottles (1 case of 6 at 20), rum to 2 (1 case of 6 at 30).
  ginId = (await createItem(owner.token, { name: 'Gin', parLevelMl: 6 * 700 })).id;
  rumId = (await createItem(owner.token, { name: 'Rum', parLevelMl: 2 * 700 })).id;
  const supplier = await ok(
    201,
    call('POST', '/suppliers', { token: owner.token, json: { name: 'Harbour', email: 'o@harbour.example' } }),
  );
  for (const [itemId, price] of [
    [ginId, 20],
    [rumId, 30],
  ] as const) {
    await ok(
      201,
      call('POST', `/suppliers/${supplier.id}/offers`, {
        token: owner.token,
        json: { itemId, price, caseSize: 6, minimumOrder: 250 },
      }),
    );
  }
});

describe("the nightly drafting and a manager's edits", () => {
  it('keeps a draft a manager edited and leaves its items out; replaces untouched drafts, audited', async () => {
    const edited = await createLocation(owner.token);
    const untouched = await createLocation(owner.token);
    const [mine] = (await ok(201, draftNow(edited))).orders;
    const [theirs] = (await ok(201, draftNow(untouched))).orders;
    expect(mine.subtotal).toBe(300);
    const rumLine = lineOf(mine, rumId);
    await ok(
      200,
      call('PATCH', `/orders/${mine.id}/lines/${rumLine.id}`, { token: manager.token, json: { cases: 2 } }),
    );

    await draftAllLocations(env.DB);

    const kept = await readOrder(env.DB, orgId, mine.id);
    expect(kept.status).toBe('draft');
    expect(lineOf(kept, rumId).cases).toBe(2);
    expect(kept.history.map((h) => h.toStatus)).toEqual(['draft']);
    // Both items are on the kept draft: no second order of them at that bar.
    expect((await drafts(edited)).map((o) => o.id)).toEqual([mine.id]);

    const replaced = await readOrder(env.DB, orgId, theirs.id);
    expect(replaced.status).toBe('cancelled');
    expect(replaced.history.at(-1)).toMatchObject({
      fromStatus: 'draft',
      toStatus: 'cancelled',
      actorKind: 'system',
      note: 'replaced by a new draft',
    });
    const now = (await drafts(untouched)).filter((o) => o.status === 'draft');
    expect(now).toHaveLength(1);
    expect(now[0]!.id).not.toBe(theirs.id);
  });

  it('drafts the items not on the edited draft beside it', async () => {
    const bar = await createLocation(owner.token);
    const [mine] = (await ok(201, draftNow(bar))).orders;
    // Gin removed from the draft by the manager: the draft is theirs now, rum stays on it.
    const ginLine = lineOf(mine, ginId);
    await ok(
      200,
      call('PATCH', `/orders/${mine.id}/lines/${ginLine.id}`, { token: manager.token, json: { cases: 0 } }),
    );
    const again = await draftOrders(env.DB, orgId, bar, { kind: 'system', id: null });
    expect(again).toMatchObject({ replaced: 0, kept: 1 });
    expect(again.orderIds).toHaveLength(1);
    const fresh = await readOrder(env.DB, orgId, again.orderIds[0]!);
    expect(fresh.lines.map((l) => l.itemId)).toEqual([ginId]);
    expect((await readOrder(env.DB, orgId, mine.id)).lines.map((l) => l.itemId)).toEqual([rumId]);
  });
});

describe('two drafting runs at once', () => {
  it('make one draft per bar and supplier', async () => {
    const bar = await createLocation(owner.token);
    const answers = await Promise.all([
      draftNow(bar),
      draftNow(bar, owner.token),
      draftOrders(env.DB, orgId, bar, { kind: 'system', id: null }),
    ]);
    expect(answers[0].status, JSON.stringify(answers[0].body)).toBe(201);
    expect(answers[1].status, JSON.stringify(answers[1].body)).toBe(201);
    expect((await drafts(bar)).filter((o) => o.status === 'draft')).toHaveLength(1);
  });

  it('approve at most one order when both auto-approve', async () => {
    await setAutoApproval(1000);
    try {
      const bar = await createLocation(owner.token);
      const [first, second] = await Promise.all([
        draftNow(bar),
        draftNow(bar, owner.token),
        draftOrders(env.DB, orgId, bar, { kind: 'system', id: null }),
      ]);
      expect([first.status, second.status]).toEqual([201, 201]);
      const live = (await drafts(bar)).filter((o) => o.status !== 'cancelled');
      expect(live).toMatchObject([{ status: 'approved' }]);
    } finally {
      await setAutoApproval(null);
    }
  });
});

describe('approving', () => {
  it('refuses an order with no lines left', async () => {
    const bar = await createLocation(owner.token);
    const [order] = (await ok(201, draftNow(bar))).orders;
    for (const line of order.lines)
      await ok(
        200,
        call('PATCH', `/orders/${order.id}/lines/${line.id}`, { token: manager.token, json: { cases: 0 } }),
      );
    const answer = await call('POST', `/orders/${order.id}/approve`, { token: manager.token, json: {} });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('empty_order');
    expect((await readOrder(env.DB, orgId, order.id)).status).toBe('draft');
  });

  it("refuses an order below the supplier's minimum, saying both, unless confirmed (audited)", async () => {
    const bar = await createLocation(owner.token);
    const [order] = (await ok(201, draftNow(bar))).orders;
    await ok(
      200,
      call('PATCH', `/orders/${order.id}/lines/${lineOf(order, rumId).id}`, {
        token: manager.token,
        json: { cases: 0 },
      }),
    );
    const answer = await call('POST', `/orders/${order.id}/approve`, { token: manager.token, json: {} });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('below_minimum');
    expect(answer.body.error.message).toContain('120.00');
    expect(answer.body.error.message).toContain('250.00');

    const refused = await call('POST', `/orders/${order.id}/approve`, {
      token: manager.token,
      json: { belowMinimum: false },
    });
    expect(refused.status).toBe(400);
    await ok(
      200,
      call('POST', `/orders/${order.id}/approve`, {
        token: manager.token,
        json: { note: 'supplier agreed', belowMinimum: true },
      }),
    );
    const approved = await readOrder(env.DB, orgId, order.id);
    expect(approved).toMatchObject({ status: 'approved', approvedBy: manager.user.id });
    expect(approved.history.at(-1)!.note).toBe(
      "supplier agreed; approved below the supplier's minimum: lines total 120.00 of 250.00",
    );
  });

  it('edits and removes lines only on drafts', async () => {
    const bar = await createLocation(owner.token);
    const [order] = (await ok(201, draftNow(bar))).orders;
    await ok(200, call('POST', `/orders/${order.id}/approve`, { token: manager.token, json: {} }));
    for (const cases of [0, 3]) {
      const answer = await call('PATCH', `/orders/${order.id}/lines/${order.lines[0].id}`, {
        token: manager.token,
        json: { cases },
      });
      expect(answer.status).toBe(409);
    }
    expect((await readOrder(env.DB, orgId, order.id)).lines).toEqual(order.lines);
  });
});

describe('approved_by', () => {
  it('stays the approver (the system) when an email fails after an auto-approval', async () => {
    await setAutoApproval(1000);
    let id: string;
    try {
      const bar = await createLocation(owner.token);
      const result = await draftOrders(env.DB, orgId, bar, { kind: 'system', id: null });
      id = result.autoApproved[0]!;
    } finally {
      await setAutoApproval(null);
    }
    const before = await readOrder(env.DB, orgId, id);
    expect(before).toMatchObject({ status: 'approved', approvedBy: null });
    const fetch = (async () =>
      new Response('bad gateway', { status: 502 })) as unknown as typeof globalThis.fetch;
    const sender = httpEmailSender({ apiKey: 'not_a_secret', from: 'o@bar.example', fetch });
    const error = await sendOrder(
      env.DB,
      orgId,
      id,
      'email',
      { kind: 'user', id: manager.user.id },
      sender,
    ).catch((e) => e);
    expect(error).toMatchObject({ status: 502 });
    const after = await readOrder(env.DB, orgId, id);
    expect(after).toMatchObject({
      status: 'approved',
      approvedBy: null,
      approvedAt: before.approvedAt,
      sentAt: null,
    });
  });
});

describe('a stale forecast', () => {
  const NOW = new Date('2026-04-20T12:00:00Z');
  async function storeForecast(locationId: string, startDate: string, means: number[]) {
    const start = Date.parse(`${startDate}T00:00:00Z`);
    const days = means.map((mean, i) => ({
      date: new Date(start + i * 86_400_000).toISOString().slice(0, 10),
      mean,
      p10: mean,
      p50: mean,
      p90: mean,
    }));
    await openDb(env.DB).run(
      sql`INSERT INTO forecasts (location_id, item_id, organization_id, run_id, start_date, history_end_date,
            observed_days, model, components, days, totals, dispersion, correlation, cold_start, created_at)
          VALUES (${locationId}, ${ginId}, ${orgId}, 'run-old', ${startDate}, ${startDate}, 56, 'test', '[]',
                  ${JSON.stringify(days)}, '[]', 0, 0, 0, ${NOW.toISOString()})`,
    );
  }
  const ginOutlook = async (locationId: string) =>
    (await loadNeeds(env.DB, orgId, locationId, NOW)).find((n) => n.itemId === ginId)!.outlook;

  it('counts only its days from the trading day on', async () => {
    const bar = await createLocation(owner.token);
    // Made 5 days ago: a busy past weekend (7 l a day), then 9 quiet days (70 ml a day).
    await storeForecast(bar, '2026-04-15', [...Array(5).fill(7000), ...Array(9).fill(70)]);
    expect((await ginOutlook(bar))!.mean(7)).toBeCloseTo(7 * 70, 6);
  });

  it('with less than a week of days left, is set aside for the par', async () => {
    const bar = await createLocation(owner.token);
    await storeForecast(bar, '2026-04-08', Array(14).fill(7000));
    expect(await ginOutlook(bar)).toBeNull();
    const result = await draftOrders(env.DB, orgId, bar, { kind: 'system', id: null }, NOW);
    const order = await readOrder(env.DB, orgId, result.orderIds[0]!);
    expect(lineOf(order, ginId)).toMatchObject({ cases: 1, why: { target: { basis: 'catalog-par' } } });
  });
});

describe('the CSV export', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(csvField('=HYPERLINK("http://x.example","hi")')).toBe(
      `"'=HYPERLINK(""http://x.example"",""hi"")"`,
    );
    for (const start of ['+', '-', '@', '\t']) expect(csvField(`${start}1+1`)).toBe(`'${start}1+1`);
    expect(csvField('\r1')).toBe(`"'\r1"`);
    expect(csvField('Gin')).toBe('Gin');
    expect(csvField('20.00')).toBe('20.00');
    expect(csvField(-5)).toBe('-5');
    expect(csvField(null)).toBe('');
  });
});
