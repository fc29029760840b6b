import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PourAction, ShiftAction } from '../shift-action.ts';
import { posFileSchema } from './pos-file.ts';
import { TabitSimulator } from './tabit-simulator.ts';

const pos = posFileSchema.parse({
  version: 1,
  provider: 'tabit',
  webhookUrl: 'http://hub.test/api/v1/pos/webhooks/tabit/conn-1',
  signingSecret: 'a-test-signing-secret-0123456789',
  stations: [
    { name: 'well-1', staff: 'Alex', deviceIds: ['scale-01'] },
    { name: 'well-2', staff: 'Bea', deviceIds: ['scale-05'] },
  ],
  menu: {
    gin: { externalId: 'tabit-gin', name: 'Gin', price: 8 },
    rum: { externalId: 'tabit-rum', name: 'Rum', price: 6 },
  },
  standardMl: 30,
  modifiers: { '25': '25 ml', '45': '45 ml', '60': 'double' },
});

const pour = (round: number, deviceId: string, itemId: string, ml: number, soldMl?: number): PourAction => ({
  type: 'pour',
  at: Date.UTC(2026, 0, 1, 20, round),
  durationMs: 1000,
  round,
  deviceId,
  platform: 0,
  itemId,
  ml,
  measureMl: ml,
  free: false,
  levelAfterMl: 500,
  ...(soldMl !== undefined ? { soldMl } : {}),
});

describe('the simulated Tabit', () => {
  it('sends a signed check per round, rung up at the scale station, the measure as a modifier', async () => {
    const sent: { headers: Record<string, string>; body: string }[] = [];
    const tabit = new TabitSimulator({
      pos,
      now: () => 1_767_297_600_000,
      fetch: (async (_url: string, init: RequestInit) => {
        sent.push({ headers: init.headers as Record<string, string>, body: init.body as string });
        return new Response('{}', { status: 200 });
      }) as typeof fetch,
    });
    const actions: ShiftAction[] = [
      pour(1, 'scale-01', 'gin', 30, 30),
      pour(1, 'scale-01', 'gin', 60, 60),
      pour(2, 'scale-05', 'rum', 59, 45),
      pour(2, 'scale-05', 'rum', 12), // ran dry: not rung up
    ];
    for (const action of actions) tabit.onAction(action);
    await tabit.flush();
    expect(tabit.counts).toEqual({ checks: 2, lines: 3, failed: 0 });
    for (const { headers, body } of sent) {
      expect(headers['x-tabit-timestamp']).toBe('1767297600');
      const hmac = createHmac('sha256', pos.signingSecret).update(`1767297600.${body}`).digest('hex');
      expect(headers['x-tabit-signature']).toBe(`sha256=${hmac}`);
    }
    const checks = sent.map((s) => JSON.parse(s.body).check);
    expect(checks.map((c) => [c.station, c.employeeName])).toEqual([
      ['well-1', 'Alex'],
      ['well-2', 'Bea'],
    ]);
    expect(checks[0].items.map((i: { modifiers: unknown; price: number }) => [i.modifiers, i.price])).toEqual(
      [
        [[], 8],
        [[{ name: 'double' }], 16],
      ],
    );
    expect(checks[1].items).toEqual([
      expect.objectContaining({
        menuItemId: 'tabit-rum',
        quantity: 1,
        price: 9,
        modifiers: [{ name: '45 ml' }],
      }),
    ]);
  });

  it('counts a refused check and keeps going', async () => {
    const lines: string[] = [];
    const tabit = new TabitSimulator({
      pos,
      log: (line) => lines.push(line),
      fetch: (async () =>
        new Response('{"error":{"code":"bad_signature"}}', { status: 401 })) as typeof fetch,
    });
    tabit.onAction(pour(1, 'scale-01', 'gin', 30, 30));
    await tabit.flush();
    expect(tabit.counts).toEqual({ checks: 0, lines: 0, failed: 1 });
    expect(lines[0]).toMatch(/HTTP 401/);
  });
});
