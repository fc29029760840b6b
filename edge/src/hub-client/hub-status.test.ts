import { expect, it } from 'vitest';
import { HubRejectedError, HubUnavailableError } from './hub-http.ts';
import { HubStatus } from './hub-status.ts';

it('calls its recovery listeners when any request finds the hub back after an outage, never at start', () => {
  const status = new HubStatus();
  let recovered = 0;
  status.onRecovered(() => recovered++);
  status.succeeded(); // the first answer after start
  expect(recovered).toBe(0);
  status.failed(new HubUnavailableError('POST /events: fetch failed'));
  expect(status).toMatchObject({ reachable: false, lastError: 'POST /events: fetch failed' });
  status.succeeded(); // a forwarded batch got through
  expect(recovered).toBe(1);
  status.succeeded();
  expect(recovered).toBe(1);
  status.failed(new HubUnavailableError('GET /api/v1/health: timed out'));
  status.failed(new HubRejectedError('POST /events: HTTP 400', 400)); // a refusal is an answer too
  expect(recovered).toBe(2);
  expect(status.lastError).toMatch(/HTTP 400/);
  status.answered(); // a probe keeps the refusal's reason
  expect(status.lastError).toMatch(/HTTP 400/);
});
