/**
 * A small hub that implements the gateway↔hub contract from protocol/ (claim, catalog, event batches with
 * exactly-once apply and highest-contiguous ack). It is the other deployable's side of the contract, for
 * contract tests of the gateway; the end-to-end suite runs the real hub.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  deviceHealthReportSchema,
  eventBatchSchema,
  gatewayClaimRequestSchema,
  sentEventsPageSchema,
  sentEventsQuerySchema,
  sniffWastePhoto,
  wastePhotoProblem,
  type EventBatch,
  type DeviceHealthReport,
  type EventBatchAck,
  type GatewayCatalog,
  type GatewayPars,
  type StockEvent,
} from '@pourcast/protocol';

/**
 * `no-pars`: a hub older than GET /gateways/:id/pars (answers 404 there, the rest as `ok`); `no-sent-events`: a
 * hub down for GET /gateways/:id/events only (503 there, the rest as `ok`).
 */
export type HubMode = 'ok' | 'error-500' | 'hang' | 'bad-ack' | 'reject-400' | 'no-pars' | 'no-sent-events';

export interface ContractHub {
  url: string;
  mode: HubMode;
  claimCode: string;
  token: string;
  gatewayId: string;
  catalog: GatewayCatalog;
  /** Par levels at the bar (GET /gateways/:id/pars adds on-hand stock folded from the applied events). */
  pars: Array<{ itemId: string; parMl: number | null }>;
  batches: EventBatch[];
  applied: Map<number, StockEvent>;
  gaps: Array<{ fromSeq: number; toSeq: number }>;
  requests: string[];
  /** Device reports (POST /gateways/:id/devices/health), in order. */
  deviceReports: DeviceHealthReport[];
  /** Waste photos (PUT /gateways/:id/waste-photos/:eventId) by event id, checked as the hub checks them. */
  photos: Map<string, { contentType: string; bytes: Buffer }>;
  /** Resolves with the next batch the hub receives. */
  nextBatch(): Promise<EventBatch>;
  close(): Promise<void>;
}

export async function startContractHub(catalog: GatewayCatalog): Promise<ContractHub> {
  let ackSeq = 0;
  const waiters: Array<(batch: EventBatch) => void> = [];
  const hub: ContractHub = {
    url: '',
    mode: 'ok',
    claimCode: 'CLAIM-123456',
    token: 'tok_' + 'x'.repeat(40),
    gatewayId: 'gw-1',
    catalog,
    pars: [],
    batches: [],
    applied: new Map(),
    gaps: [],
    requests: [],
    deviceReports: [],
    photos: new Map(),
    nextBatch: () => new Promise((resolve) => waiters.push(resolve)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections(); // a 'hang' request must not hold the close
        server.close(() => resolve());
      }),
  };

  const server: Server = createServer(async (req, res) => {
    const { json: body, raw } = await readBody(req);
    hub.requests.push(`${req.method} ${req.url}`);
    if (hub.mode === 'hang') return; // never answers; the client's timeout must fire
    if (hub.mode === 'error-500') return send(res, 500, { error: { code: 'internal', message: 'down' } });
    if (req.method === 'POST' && req.url === '/api/v1/gateways/claim') {
      const claim = gatewayClaimRequestSchema.safeParse(body);
      if (!claim.success || claim.data.code !== hub.claimCode) {
        return send(res, 400, { error: { code: 'invalid_code', message: 'unknown claim code' } });
      }
      return send(res, 200, {
        gatewayId: hub.gatewayId,
        token: hub.token,
        locationId: catalog.locationId,
        organizationId: 'org-1',
      });
    }
    if (req.headers.authorization !== `Bearer ${hub.token}`) {
      return send(res, 401, { error: { code: 'unauthorized', message: 'bad token' } });
    }
    if (req.method === 'GET' && req.url === `/api/v1/gateways/${hub.gatewayId}/catalog`)
      return send(res, 200, hub.catalog);
    if (req.method === 'GET' && req.url === `/api/v1/gateways/${hub.gatewayId}/pars`) {
      if (hub.mode === 'no-pars')
        return send(res, 404, { error: { code: 'not_found', message: 'no route' } });
      const onHand = (itemId: string) =>
        [...hub.applied.values()]
          .filter((event) => event.itemId === itemId && event.seq <= ackSeq)
          .reduce((sum, event) => sum + event.deltaMl, 0);
      const pars: GatewayPars = {
        locationId: catalog.locationId,
        ackSeq,
        asOf: new Date().toISOString(),
        items: hub.pars.map((par) => ({ ...par, onHandMl: onHand(par.itemId) })),
      };
      return send(res, 200, pars);
    }
    const url = new URL(req.url ?? '/', 'http://hub.test');
    if (req.method === 'GET' && url.pathname === `/api/v1/gateways/${hub.gatewayId}/events`) {
      if (hub.mode === 'no-sent-events')
        return send(res, 503, { error: { code: 'unavailable', message: 'down' } });
      const query = sentEventsQuerySchema.safeParse(Object.fromEntries(url.searchParams));
      if (!query.success)
        return send(res, 400, { error: { code: 'invalid_request', message: query.error.message } });
      const events = [...hub.applied.values()]
        .filter((event) => event.seq > query.data.afterSeq)
        .sort((a, b) => a.seq - b.seq)
        .slice(0, query.data.limit);
      const page = sentEventsPageSchema.parse({
        events,
        nextAfterSeq: events.length === query.data.limit ? events.at(-1)!.seq : null,
      });
      return send(res, 200, page);
    }
    if (req.method === 'POST' && req.url === `/api/v1/gateways/${hub.gatewayId}/events`) {
      if (hub.mode === 'reject-400') return send(res, 400, { error: { code: 'bad_batch', message: 'nope' } });
      const batch = eventBatchSchema.safeParse(body);
      if (!batch.success) return send(res, 400, { error: { code: 'invalid', message: batch.error.message } });
      hub.batches.push(batch.data);
      waiters.splice(0).forEach((resolve) => resolve(batch.data));
      if (hub.mode === 'bad-ack') return send(res, 200, { ackSeq: -1 });
      let applied = 0;
      let duplicates = 0;
      for (const event of batch.data.events) {
        if (hub.applied.has(event.seq) || event.seq <= ackSeq) duplicates++;
        else {
          hub.applied.set(event.seq, event);
          applied++;
        }
      }
      if (ackSeq < batch.data.fromSeq - 1) {
        hub.gaps.push({ fromSeq: ackSeq + 1, toSeq: batch.data.fromSeq - 1 });
        ackSeq = batch.data.fromSeq - 1;
      }
      while (hub.applied.has(ackSeq + 1)) ackSeq++;
      const ack: EventBatchAck = { ackSeq, applied, duplicates, gaps: hub.gaps };
      return send(res, 200, ack);
    }
    if (req.method === 'POST' && req.url === `/api/v1/gateways/${hub.gatewayId}/devices/health`) {
      const report = deviceHealthReportSchema.safeParse(body);
      if (!report.success)
        return send(res, 400, { error: { code: 'invalid', message: report.error.message } });
      hub.deviceReports.push(report.data);
      return send(res, 200, { stored: report.data.devices.length });
    }
    const photo = new RegExp(`^/api/v1/gateways/${hub.gatewayId}/waste-photos/([^/?]+)(\\?.*)?$`).exec(
      req.url ?? '',
    );
    if (req.method === 'PUT' && photo) {
      const problem = wastePhotoProblem(raw);
      if (problem)
        return send(res, problem.status, { error: { code: 'bad_photo', message: problem.reason } });
      const event = [...hub.applied.values()].find((e) => e.id === photo[1] && e.seq <= ackSeq);
      if (!event) return send(res, 409, { error: { code: 'event_not_here_yet', message: 'retry later' } });
      hub.photos.set(event.id, { contentType: sniffWastePhoto(raw)!, bytes: raw });
      res.writeHead(204).end();
      return;
    }
    send(res, 404, { error: { code: 'not_found', message: 'no route' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return hub;
}

async function readBody(req: IncomingMessage): Promise<{ json: unknown; raw: Buffer }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const text = raw.toString('utf8');
  try {
    return { json: text ? JSON.parse(text) : undefined, raw };
  } catch {
    return { json: undefined, raw };
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
