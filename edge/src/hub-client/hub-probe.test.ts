import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { HubHealth } from '@pourcast/protocol';
import { silentLogger } from '../log.ts';
import { HubProbe } from './hub-probe.ts';
import { HubStatus } from './hub-status.ts';

let server: Server;
let port = 0;
let requests: string[] = [];
let probe: HubProbe | null = null;

/** A real HTTP server standing in for the hub's public health route. */
function listen(onPort = 0): Promise<void> {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const health: HubHealth = { status: 'ok', time: new Date().toISOString(), database: { reachable: true } };
    res.writeHead(req.url === '/api/v1/health' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(health));
  });
  return new Promise((resolve) =>
    server.listen(onPort, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      resolve();
    }),
  );
}

const stopServer = () =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

beforeEach(async () => {
  requests = [];
  await listen();
});
afterEach(async () => {
  await probe?.stop();
  probe = null;
  vi.useRealTimers();
  if (server.listening) await stopServer();
});

it('asks the hub every interval when nothing else does, and follows it going down and coming back', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const status = new HubStatus();
  let recovered = 0;
  probe = new HubProbe({
    hubUrl: `http://127.0.0.1:${port}/`,
    status,
    log: silentLogger,
    intervalMs: 15_000,
  });
  status.onRecovered(() => recovered++);
  probe.start();
  await vi.advanceTimersByTimeAsync(14_999);
  expect(requests).toEqual([]);
  await vi.advanceTimersByTimeAsync(1);
  await probe.probeNow(); // settles with the probe the timer started (this one finds the hub just heard)
  expect(requests).toEqual(['GET /api/v1/health']);
  expect(status).toMatchObject({ reachable: true, lastError: null });

  // Forwards flowing: the outbox hears from the hub every 10 s, so the probe stays quiet.
  for (let i = 0; i < 6; i++) {
    await vi.advanceTimersByTimeAsync(10_000);
    status.succeeded();
  }
  await probe.probeNow();
  expect(requests).toHaveLength(1);

  // The hub stops: the next probe that is due finds it unreachable.
  await stopServer();
  await vi.advanceTimersByTimeAsync(30_000);
  await probe.probeNow();
  expect(status.reachable).toBe(false);
  expect(status.lastError).toMatch(/^GET \/api\/v1\/health: /);
  const sentWhileDown = probe.sent;

  // Still down a little later; then it comes back on the same address.
  await vi.advanceTimersByTimeAsync(15_000);
  await probe.probeNow();
  expect(probe.sent).toBeGreaterThan(sentWhileDown);
  expect(status.reachable).toBe(false);
  expect(recovered).toBe(0); // the first answer after start is no recovery
  await listen(port);
  await vi.advanceTimersByTimeAsync(15_000);
  await probe.probeNow();
  expect(status).toMatchObject({ reachable: true, lastError: null });
  expect(recovered).toBe(1);
  expect(requests.every((r) => r === 'GET /api/v1/health')).toBe(true);
});

it('leaves the word to a forward that reported while the probe waited', async () => {
  const status = new HubStatus();
  // The hub answers the probe only after a forward has found it unreachable meanwhile.
  server.removeAllListeners('request');
  server.on('request', (_req, res) => {
    status.failed(new Error('POST /api/v1/gateways/gw-1/events: timed out'));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', time: new Date().toISOString(), database: { reachable: true } }));
  });
  probe = new HubProbe({ hubUrl: `http://127.0.0.1:${port}`, status, log: silentLogger });
  await probe.probeNow();
  expect(probe.sent).toBe(1);
  expect(status).toMatchObject({ reachable: false, lastError: expect.stringMatching(/timed out/) });
});

it("counts a refusal as an answer and keeps the link's own error", async () => {
  const status = new HubStatus();
  // What the link records when the hub refuses its claim code.
  status.reachable = true;
  status.lastError = 'POST /api/v1/gateways/claim: HTTP 401 claim_code_invalid';
  probe = new HubProbe({ hubUrl: `http://127.0.0.1:${port}/nowhere`, status, log: silentLogger });
  await probe.probeNow();
  expect(requests).toEqual(['GET /nowhere/api/v1/health']);
  expect(status.reachable).toBe(true);
  expect(status.lastError).toMatch(/claim_code_invalid/);
});
