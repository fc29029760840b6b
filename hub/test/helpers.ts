import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type {
  EventBatchInput,
  Item,
  ItemInput,
  LoginResponse,
  Role,
  StockEventInput,
} from '@pourcast/protocol';
import { createOrganizationWithOwner } from '../src/auth/accounts.ts';
import { openDb } from '../src/db/client.ts';
import worker from '../src/index.ts';
import { ulid } from 'ulid';

export interface Answer<T = any> {
  status: number;
  body: T;
}

export interface CallOptions {
  token?: string;
  json?: unknown;
  headers?: Record<string, string>;
}

/** Statuses whose answers have no body (a Response built with one throws). */
const NO_BODY = new Set([101, 204, 205, 304]);

/**
 * A fetch answered by the Worker's own fetch handler (same isolate, real D1), called directly with an
 * execution context whose waitUntil work is awaited before the answer returns; for clients that take a fetch
 * (the demo seed, Hono RPC). Not through `exports.default`: the test pool wraps its entrypoint's prototype in
 * one more Proxy per call, and with test files sharing a worker (isolate: false) its module lookups grow
 * slower with every file, so a file making many calls gets slower with each (hub/test/http-fuzz.test.ts
 * overflowed the stack at 1,774; the demo seed took 48 s instead of 6).
 */
export async function viaWorker(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(input, init), env, ctx);
  const body = NO_BODY.has(response.status) ? null : await response.arrayBuffer();
  await waitOnExecutionContext(ctx);
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** One JSON request to the hub's API through `viaWorker`, its answer parsed. */
export async function call<T = any>(
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const response = await viaWorker(`http://hub.test/api/v1${path}`, {
    method,
    headers,
    body: options.json === undefined ? undefined : JSON.stringify(options.json),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

let counter = 0;
/** Unique values for emails and names. */
export const unique = (prefix: string) => `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

export const PASSWORD = 'correct horse battery staple';

/**
 * Every test file starts from an empty database (test/apply-migrations.ts); tests that need a hub without an
 * organization later in a file empty it again: every table the
 * migrations made (the migrations' own bookkeeping and SQLite's and workerd's internals excepted), in one
 * transaction with foreign keys checked at its end, so a new table never has to be listed here.
 */
export async function emptyDatabase() {
  const { results } = await env.DB.prepare(
    `SELECT name FROM sqlite_master WHERE type = 'table'
        AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'`,
  ).all<{ name: string }>();
  await env.DB.batch([
    env.DB.prepare('PRAGMA defer_foreign_keys = on'),
    ...results.map(({ name }) => env.DB.prepare(`DELETE FROM "${name}"`)),
  ]);
}

/** An empty hub, then its first organization through POST /setup; answers the owner's session. */
export async function freshHub(name = 'First Bar Group') {
  await emptyDatabase();
  const answer = await call<LoginResponse>('POST', '/setup', {
    json: {
      organization: { name, currency: 'EUR' },
      owner: { email: `${unique('owner')}@bar.example`, name: 'Olive Owner', password: PASSWORD },
    },
  });
  if (answer.status !== 201) throw new Error(`setup failed: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Another organization, made directly (the API only creates the first one). */
export async function otherOrganization(name = 'Other Bar Group'): Promise<LoginResponse> {
  const email = `${unique('owner')}@other.example`;
  await createOrganizationWithOwner(openDb(env.DB), {
    organization: { name, currency: 'USD' },
    owner: { email, name: 'Other Owner', password: PASSWORD },
  });
  return login(email);
}

export async function login(email: string, password = PASSWORD): Promise<LoginResponse> {
  const answer = await call<LoginResponse>('POST', '/auth/login', { json: { email, password } });
  if (answer.status !== 200) throw new Error(`login failed: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A member of staff with the role, logged in. */
export async function staff(ownerToken: string, role: Role): Promise<LoginResponse> {
  const email = `${unique(role)}@bar.example`;
  const answer = await call('POST', '/users', {
    token: ownerToken,
    json: { email, name: `A ${role}`, password: PASSWORD, role },
  });
  if (answer.status !== 201) throw new Error(`adding ${role} failed: ${JSON.stringify(answer.body)}`);
  return login(email);
}

export async function createLocation(token: string, name = unique('bar')): Promise<string> {
  const answer = await call('POST', '/locations', { token, json: { name } });
  if (answer.status !== 201) throw new Error(`location failed: ${JSON.stringify(answer.body)}`);
  return answer.body.id;
}

export async function createItem(token: string, input: Partial<ItemInput> = {}): Promise<Item> {
  const answer = await call<Item>('POST', '/items', {
    token,
    json: { name: unique('Gin'), category: 'spirit', containerMl: 700, cost: 20, ...input },
  });
  if (answer.status !== 201) throw new Error(`item failed: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Claims a gateway for the location; answers its id and token. */
export async function claimGateway(token: string, locationId: string) {
  const code = await call('POST', `/locations/${locationId}/claim-codes`, { token });
  if (code.status !== 201) throw new Error(`claim code failed: ${JSON.stringify(code.body)}`);
  const claim = await call('POST', '/gateways/claim', { json: { code: code.body.code, name: unique('gw') } });
  if (claim.status !== 201) throw new Error(`claim failed: ${JSON.stringify(claim.body)}`);
  return claim.body as { gatewayId: string; token: string; locationId: string; organizationId: string };
}

/** A stock event for a gateway batch, with sensible defaults. */
export function event(
  gatewayId: string,
  seq: number,
  fields: Pick<StockEventInput, 'locationId' | 'itemId'> & Partial<StockEventInput>,
): StockEventInput {
  return {
    gatewayId,
    seq,
    id: ulid(),
    kind: 'pour',
    deltaMl: -30,
    containersDelta: 0,
    levelAfterMl: null,
    source: 'scale',
    observedAt: new Date(Date.UTC(2026, 0, 1, 20, 0, seq)).toISOString(),
    confidence: 1,
    ...fields,
  };
}

export function batch(gatewayId: string, fromSeq: number, events: StockEventInput[]): EventBatchInput {
  return { gatewayId, fromSeq, events };
}

export async function stockLine(token: string, locationId: string, itemId: string) {
  const answer = await call('GET', `/locations/${locationId}/stock`, { token });
  if (answer.status !== 200) throw new Error(`stock failed: ${JSON.stringify(answer.body)}`);
  return (answer.body.items as any[]).find((line) => line.itemId === itemId);
}
