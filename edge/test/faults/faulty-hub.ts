/**
 * A misbehaving hub: a real HTTP server in front of the contract hub (edge/test/support/contract-hub.ts)
 * that faults event batches one request at a time. It is the network and the hub's failures that are
 * faked here, at the boundary; the gateway under test is the real one.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventBatch } from '@pourcast/protocol';

/**
 * - `ok`: passed through.
 * - `500`: answered 500, the hub never sees it.
 * - `hang`: never answered (the gateway's request timeout must fire).
 * - `partial`: only the first half of the batch reaches the hub, which acknowledges just that.
 * - `applied-then-500`: the hub applies the whole batch, then the answer is lost to a 500.
 * - `applied-then-reset`: the hub applies it, then the connection is cut before any answer.
 */
export type BatchFault = 'ok' | '500' | 'hang' | 'partial' | 'applied-then-500' | 'applied-then-reset';

export interface FaultyHub {
  url: string;
  /** Faults for the next event batches, consumed in order; `ok` once empty. */
  faults: BatchFault[];
  /** Batch requests received, each with the fault it got. */
  received: Array<{ fault: BatchFault; fromSeq: number; count: number }>;
  /** Resolves once the proxy holds a request it will not answer (a `hang`). */
  hanging(): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultyHub(upstream: string): Promise<FaultyHub> {
  let wakeHang: (() => void) | null = null;
  let hangs = 0;
  const hub: FaultyHub = {
    url: '',
    faults: [],
    received: [],
    hanging: () => (hangs > 0 ? Promise.resolve() : new Promise<void>((resolve) => (wakeHang = resolve))),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const isBatch = req.method === 'POST' && /\/events$/.test(req.url ?? '');
    const fault = isBatch ? (hub.faults.shift() ?? 'ok') : 'ok';
    let forwarded = body;
    if (isBatch) {
      const batch = JSON.parse(body) as EventBatch;
      hub.received.push({ fault, fromSeq: batch.fromSeq, count: batch.events.length });
      if (fault === 'partial')
        forwarded = JSON.stringify({
          ...batch,
          events: batch.events.slice(0, Math.ceil(batch.events.length / 2)),
        });
    }
    if (fault === '500')
      return res
        .writeHead(500, { 'content-type': 'application/json' })
        .end('{"error":{"code":"internal","message":"down"}}');
    if (fault === 'hang') {
      hangs++;
      wakeHang?.();
      return;
    }
    const answer = await fetch(upstream + req.url, {
      method: req.method,
      headers: Object.fromEntries(
        Object.entries(req.headers).filter(([name]) =>
          ['authorization', 'content-type', 'accept'].includes(name),
        ),
      ) as Record<string, string>,
      body: req.method === 'POST' ? forwarded : undefined,
    });
    const text = await answer.text();
    if (fault === 'applied-then-500')
      return res
        .writeHead(500, { 'content-type': 'application/json' })
        .end('{"error":{"code":"internal","message":"lost"}}');
    if (fault === 'applied-then-reset') return req.socket.destroy();
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return hub;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
