import type { StaffLiveName } from '@pourcast/protocol';
import { api } from './api.ts';
import { addRecent, applySnapshot, connected, hub, invalidMessages, tiles, updateDevice } from './state.ts';
import { parseLive } from './validate.ts';

let source: EventSource | null = null;
let retry: ReturnType<typeof setTimeout> | null = null;

function on<K extends StaffLiveName>(
  es: EventSource,
  name: K,
  handle: (payload: ReturnType<typeof parseLive<K>>) => void,
) {
  es.addEventListener(name, (message) => {
    try {
      handle(parseLive(name, (message as MessageEvent<string>).data));
    } catch {
      invalidMessages.value++;
    }
  });
}

/** Loads the snapshot, then follows the gateway's live feed; reconnects (resuming by event id) on its own. */
export async function startLive(): Promise<void> {
  if (retry) clearTimeout(retry);
  retry = null;
  try {
    applySnapshot(await api.snapshot());
  } catch {
    connected.value = false;
    retry = setTimeout(() => void startLive(), 3_000);
    return;
  }
  source?.close();
  const es = new EventSource('/api/v1/staff/live');
  source = es;
  es.onopen = () => (connected.value = true);
  es.onerror = () => {
    connected.value = false;
    // The browser retries by itself (sending Last-Event-ID); if it gave up, start over.
    if (es.readyState === EventSource.CLOSED) retry = setTimeout(() => void startLive(), 3_000);
  };
  on(es, 'stock', addRecent);
  on(es, 'tiles', (payload) => (tiles.value = payload.tiles));
  on(es, 'device', updateDevice);
  on(es, 'hub', (payload) => (hub.value = payload));
  on(es, 'resync', () => {
    es.close();
    void startLive();
  });
}
