import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { call, claimGateway, freshHub, staff } from '../../test/helpers.ts';
import { openDb } from '../db/client.ts';
import { httpEmailSender } from '../ordering/email/email-sender.ts';
import { emailChannel, smsChannel, webhookChannel, type Channels } from './channels.ts';
import { sendDue } from './deliver.ts';
import { alertsTick, runAlerts } from './run-alerts.ts';

/**
 * Delivery on the real D1 with the providers faked at their HTTP boundary: preferences by severity, quiet
 * hours in the bar's time zone (critical excepted, held ones sent when they end), the per-alert rate limit
 * against a flapping gateway, retries with backoff, and the in-app list. Time is always an injected `now`.
 */
interface Sent {
  url: string;
  body: string;
}
const sent: Sent[] = [];
/** Answers per URL prefix, in order; 200 once a list runs out. */
const scripted = new Map<string, number[]>();
const fakeFetch = (async (url: string | URL | Request, init?: RequestInit) => {
  const target = String(url);
  const script = [...scripted.entries()].find(([prefix]) => target.startsWith(prefix))?.[1];
  const status = script?.length ? script.shift()! : 200;
  sent.push({ url: target, body: String(init?.body) });
  return new Response(JSON.stringify(status < 300 ? { id: `msg-${sent.length}` } : { message: 'down' }), {
    status,
  });
}) as typeof fetch;

const channels: Channels = {
  webhook: webhookChannel({ fetch: fakeFetch }),
  email: emailChannel(
    httpEmailSender({ apiKey: 'test-key-0123456789', from: 'alerts@bar.example', fetch: fakeFetch }),
  ),
  sms: smsChannel({
    accountSid: 'AC1',
    authToken: 'test-token-0123456789',
    from: '+15550001',
    fetch: fakeFetch,
  }),
};

let owner: string;
let manager: string;
let technician: string;
let bartender: string;
let organizationId: string;
let locationId: string;
let gatewayId: string;
// 22:30 UTC on 1 March is 23:30 in Amsterdam: inside the default quiet hours.
const NIGHT = new Date('2026-03-01T22:30:00Z');
const minutes = (from: Date, n: number) => new Date(from.getTime() + n * 60_000);

async function lastSeen(at: Date) {
  await openDb(env.DB).run(
    sql`UPDATE gateways SET last_seen_at = ${at.toISOString()} WHERE id = ${gatewayId}`,
  );
}

async function deliveries() {
  return openDb(env.DB).all<any>(
    sql`SELECT d.channel, d.address, d.status, d.attempts, d.next_attempt_at, d.last_error, a.rule
          FROM alert_deliveries d JOIN notifications n ON n.id = d.notification_id JOIN alerts a ON a.id = n.alert_id
         ORDER BY d.created_at, a.rule, d.address`,
  );
}

beforeAll(async () => {
  const session = await freshHub();
  owner = session.token;
  organizationId = session.user.organizationId;
  manager = (await staff(owner, 'manager')).token;
  technician = (await staff(owner, 'technician')).token;
  bartender = (await staff(owner, 'bartender')).token;
  const bar = await call('POST', '/locations', {
    token: owner,
    json: { name: 'Canal Bar', timezone: 'Europe/Amsterdam' },
  });
  locationId = bar.body.id;
  gatewayId = (await claimGateway(owner, locationId)).gatewayId;
  await lastSeen(minutes(NIGHT, -90));
  const licence = await call('POST', '/licences', {
    token: owner,
    json: { locationId, name: 'Alcohol licence', kind: 'licence', expiresOn: '2026-03-20' },
  });
  expect(licence.status).toBe(201);
});

describe('preferences', () => {
  it('sets, reads and removes channels per user, defaults 22:00-08:00 in the bar’s zone', async () => {
    const set = await call('PATCH', '/notifications/preferences', {
      token: manager,
      json: {
        preferences: [
          { channel: 'webhook', address: 'https://hooks.example/manager', minSeverity: 'info' },
          { channel: 'email', address: 'manager@bar.example' },
          { channel: 'sms', address: '+31600000000' },
        ],
      },
    });
    expect(set.status).toBe(200);
    const removed = await call('PATCH', '/notifications/preferences', {
      token: manager,
      json: { remove: ['sms'] },
    });
    expect(removed.body.preferences).toEqual([
      {
        channel: 'email',
        address: 'manager@bar.example',
        minSeverity: 'warning',
        quietStart: '22:00',
        quietEnd: '08:00',
        timezone: null,
      },
      {
        channel: 'webhook',
        address: 'https://hooks.example/manager',
        minSeverity: 'info',
        quietStart: '22:00',
        quietEnd: '08:00',
        timezone: null,
      },
    ]);
    expect((await call('GET', '/notifications/preferences', { token: manager })).body).toEqual(removed.body);
    await call('PATCH', '/notifications/preferences', {
      token: owner,
      json: { preferences: [{ channel: 'sms', address: '+31612345678', minSeverity: 'critical' }] },
    });
    await call('PATCH', '/notifications/preferences', {
      token: technician,
      json: { preferences: [{ channel: 'webhook', address: 'https://hooks.example/tech' }] },
    });
  });

  it('refuses an address that does not fit its channel and an unknown time zone', async () => {
    const bad = await call('PATCH', '/notifications/preferences', {
      token: manager,
      json: {
        preferences: [
          { channel: 'sms', address: '0612345' },
          { channel: 'webhook', address: 'http://insecure.example', timezone: 'Mars/Olympus' },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([
      'body.preferences.0.address: must be an E.164 phone number (+...)',
      'body.preferences.1.address: must be an https URL',
      'body.preferences.1.timezone: must be an IANA time zone',
    ]);
  });
});

describe('delivery', () => {
  it('sends a critical alert at night at once and holds the rest until quiet hours end', async () => {
    const run = await runAlerts(env.DB, organizationId, NIGHT, channels);
    expect(run).toMatchObject({ raised: 2, delivered: 4, failed: 0 });
    expect(sent.map((s) => s.url).sort()).toEqual([
      'https://api.resend.com/emails',
      'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json',
      'https://hooks.example/manager',
      'https://hooks.example/tech',
    ]);
    const held = (await deliveries()).filter((d) => d.status === 'pending');
    // The licence reminder (a warning) to the manager's two channels; 08:00 in Amsterdam is 07:00 UTC.
    expect(held.map((d) => [d.rule, d.channel, d.next_attempt_at])).toEqual([
      ['licence_expiry', 'webhook', '2026-03-02T07:00:00.000Z'],
      ['licence_expiry', 'email', '2026-03-02T07:00:00.000Z'],
    ]);
    sent.length = 0;
    expect(await sendDue(env.DB, channels, new Date('2026-03-02T06:59:59Z'))).toEqual({
      sent: 0,
      failed: 0,
      retrying: 0,
    });
    expect(await sendDue(env.DB, channels, new Date('2026-03-02T07:00:00Z'))).toEqual({
      sent: 2,
      failed: 0,
      retrying: 0,
    });
    expect(JSON.parse(sent.find((s) => s.url === 'https://hooks.example/manager')!.body).text).toContain(
      'Alcohol licence',
    );
  });

  it('keeps an in-app list per user with read and unread', async () => {
    const list = await call('GET', '/notifications', { token: manager });
    expect(list.status).toBe(200);
    expect(list.body.unread).toBe(2);
    expect(list.body.notifications.map((n: any) => n.rule).sort()).toEqual([
      'gateway_offline',
      'licence_expiry',
    ]);
    const gateway = list.body.notifications.find((n: any) => n.rule === 'gateway_offline');
    expect(gateway.deliveries.map((d: any) => [d.channel, d.status]).sort()).toEqual([
      ['email', 'sent'],
      ['webhook', 'sent'],
    ]);
    expect((await call('POST', `/notifications/${gateway.id}/read`, { token: manager })).status).toBe(204);
    const after = await call('GET', '/notifications?unread=true', { token: manager });
    expect([after.body.unread, after.body.notifications.length]).toEqual([1, 1]);
    expect((await call('POST', `/notifications/${gateway.id}/read`, { token: owner })).status).toBe(404);
    // Technicians hear about gateways only; bartenders get nothing.
    expect(
      (await call('GET', '/notifications', { token: technician })).body.notifications.map((n: any) => n.rule),
    ).toEqual(['gateway_offline']);
    expect((await call('GET', '/notifications', { token: bartender })).body).toEqual({
      unread: 0,
      notifications: [],
    });
  });

  it('sends a flapping gateway one message per hour per person: back, gone again, suppressed', async () => {
    await lastSeen(minutes(NIGHT, 5));
    expect((await runAlerts(env.DB, organizationId, minutes(NIGHT, 10), channels)).resolved).toBe(1);
    await lastSeen(minutes(NIGHT, -60));
    sent.length = 0;
    const flap = await runAlerts(env.DB, organizationId, minutes(NIGHT, 20), channels);
    expect([flap.raised, flap.delivered]).toEqual([1, 0]);
    expect(sent).toEqual([]);
    const suppressed = (await deliveries()).filter((d) => d.status === 'suppressed');
    expect(suppressed).toHaveLength(4);
    expect(new Set(suppressed.map((d) => d.last_error))).toEqual(
      new Set(['rate limit: one message per alert per hour']),
    );
    // An hour after the first messages it may speak again.
    await lastSeen(minutes(NIGHT, 80));
    await runAlerts(env.DB, organizationId, minutes(NIGHT, 85), channels);
    await lastSeen(minutes(NIGHT, 20));
    const later = await runAlerts(env.DB, organizationId, minutes(NIGHT, 95), channels);
    expect([later.raised, later.delivered]).toEqual([1, 4]);
  });

  it('retries with exponential backoff up to 3 attempts from the cron tick, then gives up', async () => {
    await lastSeen(new Date('2026-03-02T12:00:00Z'));
    const removed = await call('PATCH', '/notifications/preferences', {
      token: manager,
      json: { remove: ['email'] },
    });
    expect(removed.body.preferences.map((p: any) => p.channel)).toEqual(['webhook']);
    await call('PATCH', '/notifications/preferences', {
      token: owner,
      json: {
        preferences: [
          { channel: 'webhook', address: 'https://hooks.example/owner-down', minSeverity: 'info' },
        ],
      },
    });
    await call('POST', '/licences', {
      token: owner,
      json: { locationId, name: 'Music permit', kind: 'permit', expiresOn: '2026-03-10' },
    });
    scripted.set('https://hooks.example/manager', [503, 503]);
    scripted.set('https://hooks.example/owner-down', [500, 500, 500]);
    const noon = new Date('2026-03-02T12:00:00Z');
    const tick = (at: Date) => alertsTick({ DB: env.DB }, at, fakeFetch);
    await tick(noon);
    const state = async () =>
      (await deliveries())
        .filter((d) => d.rule === 'licence_expiry' && d.next_attempt_at >= '2026-03-02T12')
        .map((d) => [d.address, d.status, d.attempts, d.next_attempt_at]);
    expect(await state()).toEqual([
      ['https://hooks.example/manager', 'pending', 1, '2026-03-02T12:01:00.000Z'],
      ['https://hooks.example/owner-down', 'pending', 1, '2026-03-02T12:01:00.000Z'],
    ]);
    await tick(minutes(noon, 0.5));
    expect((await state()).map((d) => d[2])).toEqual([1, 1]);
    await tick(minutes(noon, 1));
    expect((await state()).map((d) => d[3])).toEqual([
      '2026-03-02T12:03:00.000Z',
      '2026-03-02T12:03:00.000Z',
    ]);
    await tick(minutes(noon, 3));
    expect(await state()).toEqual([
      ['https://hooks.example/manager', 'sent', 3, '2026-03-02T12:03:00.000Z'],
      ['https://hooks.example/owner-down', 'failed', 3, '2026-03-02T12:03:00.000Z'],
    ]);
    const failed = (await deliveries()).find((d) => d.address === 'https://hooks.example/owner-down');
    expect(failed.last_error).toBe('webhook answered 500');
  });

  it('holds each person to N messages an hour over all alerts', async () => {
    await call('POST', '/licences', {
      token: owner,
      json: { locationId, name: 'Food permit', kind: 'permit', expiresOn: '2026-03-25' },
    });
    await call('POST', '/licences', {
      token: owner,
      json: { locationId, name: 'Tobacco licence', kind: 'licence', expiresOn: '2026-03-26' },
    });
    sent.length = 0;
    scripted.clear();
    // An hour and a half after the retries, the gateway heard from just now.
    const afternoon = new Date('2026-03-02T13:30:00Z');
    await lastSeen(afternoon);
    const run = await runAlerts(env.DB, organizationId, afternoon, channels, {
      maxPerHour: 1,
    });
    expect([run.raised, run.delivered]).toEqual([2, 2]);
    expect(sent.map((s) => s.url).sort()).toEqual([
      'https://hooks.example/manager',
      'https://hooks.example/owner-down',
    ]);
    const limited = (await deliveries()).filter((d) => d.last_error === 'rate limit: 1 messages per hour');
    expect(limited.map((d) => d.address).sort()).toEqual([
      'https://hooks.example/manager',
      'https://hooks.example/owner-down',
    ]);
  });
});
