/**
 * The hub's side of what a technician's CLI and a gateway use, per the protocol schemas: login, claim
 * codes for a location, the gateway's claim, its catalog and its event batches. The hub's own tests run
 * these routes in workerd; this stands in for the other deployable in the CLI's tests.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  eventBatchSchema,
  gatewayClaimRequestSchema,
  loginRequestSchema,
  type GatewayCatalog,
  type StockEvent,
} from '@pourcast/protocol';

export interface TechnicianHub {
  url: string;
  email: string;
  password: string;
  codesIssued: string[];
  events: StockEvent[];
  /** Resolves when an event matching `match` has arrived. */
  eventArrived(match: (event: StockEvent) => boolean): Promise<StockEvent>;
  close(): Promise<void>;
}

export async function startTechnicianHub(catalog: GatewayCatalog): Promise<TechnicianHub> {
  const session = 'session_' + 'a'.repeat(32);
  const gatewayToken = 'gw_' + 'b'.repeat(40);
  const waiters: Array<{ match: (e: StockEvent) => boolean; resolve: (e: StockEvent) => void }> = [];
  const hub: TechnicianHub = {
    url: '',
    email: 'tech@bar.example',
    password: 'correct horse battery',
    codesIssued: [],
    events: [],
    eventArrived: (match) =>
      new Promise((resolve) => {
        const found = hub.events.find(match);
        if (found) resolve(found);
        else waiters.push({ match, resolve });
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const auth = req.headers.authorization;
    if (req.method === 'POST' && req.url === '/api/v1/auth/login') {
      const login = loginRequestSchema.safeParse(body);
      if (!login.success || login.data.email !== hub.email || login.data.password !== hub.password)
        return send(401, { error: { code: 'bad_credentials', message: 'wrong email or password' } });
      return send(200, {
        token: session,
        expiresAt: new Date(Date.now() + 12 * 3600_000).toISOString(),
        user: {
          id: 'user-tech',
          email: hub.email,
          name: 'Tech',
          organizationId: 'org-1',
          role: 'technician',
        },
      });
    }
    const claimCodes = req.url?.match(/^\/api\/v1\/locations\/([^/]+)\/claim-codes$/);
    if (req.method === 'POST' && claimCodes) {
      if (auth !== `Bearer ${session}`)
        return send(401, { error: { code: 'unauthorized', message: 'log in' } });
      if (claimCodes[1] !== catalog.locationId)
        return send(404, { error: { code: 'not_found', message: `no location ${claimCodes[1]}` } });
      const code = `CLAIM-${hub.codesIssued.length + 1}-${'x'.repeat(8)}`;
      hub.codesIssued.push(code);
      return send(201, { code, expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString() });
    }
    if (req.method === 'POST' && req.url === '/api/v1/gateways/claim') {
      const claim = gatewayClaimRequestSchema.safeParse(body);
      if (!claim.success || !hub.codesIssued.includes(claim.data.code))
        return send(400, { error: { code: 'invalid_code', message: 'unknown claim code' } });
      hub.codesIssued.splice(hub.codesIssued.indexOf(claim.data.code), 1); // one-time
      return send(200, {
        gatewayId: 'gw-1',
        token: gatewayToken,
        locationId: catalog.locationId,
        organizationId: 'org-1',
      });
    }
    if (auth !== `Bearer ${gatewayToken}`)
      return send(401, { error: { code: 'unauthorized', message: 'bad token' } });
    if (req.method === 'GET' && req.url === '/api/v1/gateways/gw-1/catalog') return send(200, catalog);
    if (req.method === 'POST' && req.url === '/api/v1/gateways/gw-1/events') {
      const batch = eventBatchSchema.safeParse(body);
      if (!batch.success) return send(400, { error: { code: 'invalid', message: 'bad batch' } });
      const known = new Set(hub.events.map((e) => e.seq));
      for (const event of batch.data.events) if (!known.has(event.seq)) hub.events.push(event);
      for (const waiter of [...waiters]) {
        const found = hub.events.find(waiter.match);
        if (found) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(found);
        }
      }
      const ackSeq = Math.max(0, ...hub.events.map((e) => e.seq));
      return send(200, { ackSeq, applied: batch.data.events.length, duplicates: 0, gaps: [] });
    }
    send(404, { error: { code: 'not_found', message: 'no route' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return hub;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
