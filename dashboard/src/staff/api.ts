import type {
  PairResponse,
  ScanModeRequest,
  ScanModeResponse,
  StaffSnapshot,
  StaffWriteResponse,
  UndoRequest,
  WasteEntry,
  WeighReading,
} from '@pourcast/protocol';
import { apiErrorFrom } from '../shared/api-error.ts';
import { parseScanModeResponse, parseSnapshot, parseWeighReading, parseWriteResponse } from './validate.ts';

export { ApiError } from '../shared/api-error.ts';

/** The gateway's API, same origin as the display. */
const BASE = '/api/v1/staff';

async function call<T>(path: string, parse: (value: unknown) => T, init?: RequestInit): Promise<T> {
  const response = await fetch(`${BASE}${path}`, {
    ...init,
    headers: init?.body ? { 'content-type': 'application/json' } : undefined,
    credentials: 'same-origin',
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw apiErrorFrom(response.status, body, response.statusText);
  return parse(body);
}

const post = <T>(path: string, body: unknown, parse: (value: unknown) => T) =>
  call(path, parse, { method: 'POST', body: JSON.stringify(body) });

export const api = {
  snapshot: (): Promise<StaffSnapshot> => call('/snapshot', parseSnapshot),
  me: () =>
    call('/me', (value) => value as { paired: boolean; display: { id: string; name: string } | null }),
  pair: (code: string, name: string): Promise<PairResponse> =>
    post('/pair', { code, name }, (value) => value as PairResponse),
  waste: (entry: WasteEntry): Promise<StaffWriteResponse> => post('/waste', entry, parseWriteResponse),
  wastePhoto: (eventId: string, image: string): Promise<{ eventId: string; size: number }> =>
    post('/waste-photos', { eventId, image }, (value) => value as { eventId: string; size: number }),
  undo: (request: UndoRequest): Promise<StaffWriteResponse> => post('/undo', request, parseWriteResponse),
  scanMode: (deviceId: string, request: ScanModeRequest): Promise<ScanModeResponse> =>
    post(`/scanners/${encodeURIComponent(deviceId)}/mode`, request, parseScanModeResponse),
  weigh: (deviceId: string, platform: number, itemId: string): Promise<WeighReading> =>
    call(
      `/scales/${encodeURIComponent(deviceId)}/platforms/${platform}/weight?itemId=${encodeURIComponent(itemId)}`,
      parseWeighReading,
    ),
};
