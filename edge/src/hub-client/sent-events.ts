import { sentEventsPageSchema, type StockEvent } from '@pourcast/protocol';
import { gatewayUrl, HubRejectedError, hubRequest } from './hub-http.ts';

export interface SentEventsRequest {
  hubUrl: string;
  gatewayId: string;
  token: string;
  /** Events with a seq above this one... */
  afterSeq: number;
  /** ...up to and including this one. */
  upToSeq: number;
  timeoutMs?: number;
}

/**
 * The events this gateway sent with a seq in (afterSeq, upToSeq], as the hub holds them (GET
 * /gateways/:id/events, a page at a time, each page checked against protocol's schema). A seq the hub wrote off
 * as a gap is simply absent. Throws like any hub request (unreachable, refused, an answer breaking the
 * contract), so the caller retries later.
 */
export async function fetchSentEvents(request: SentEventsRequest): Promise<StockEvent[]> {
  const base = gatewayUrl(request.hubUrl, request.gatewayId, '/events');
  const events: StockEvent[] = [];
  let cursor = request.afterSeq;
  while (cursor < request.upToSeq) {
    const page = await hubRequest({
      method: 'GET',
      url: `${base}?afterSeq=${cursor}`,
      token: request.token,
      answer: sentEventsPageSchema,
      timeoutMs: request.timeoutMs,
    });
    for (const event of page.events) {
      // The schema checked each event and their order; these are what only this request knows.
      if (event.seq <= cursor)
        throw new HubRejectedError(`sent events: seq ${event.seq} is not above afterSeq ${cursor}`, 200);
      if (event.gatewayId !== request.gatewayId)
        throw new HubRejectedError(`sent events: seq ${event.seq} names another gateway`, 200);
      if (event.seq <= request.upToSeq) events.push(event);
    }
    if (page.nextAfterSeq === null) break;
    cursor = page.nextAfterSeq;
  }
  return events;
}
