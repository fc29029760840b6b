import { hc } from 'hono/client';
import type { AppType } from '@pourcast/hub';
import { ApiError, apiErrorFrom } from '../shared/api-error.ts';
import { expireSession, session } from './session.ts';

export { ApiError };

/** A copy of each GET answer with its ETag: a 304 is answered from it, so polling costs the hub a hash. */
const cache = new Map<string, { etag: string; body: string; contentType: string }>();

/**
 * fetch for `hc`: adds the session's bearer token, revalidates GETs with If-None-Match and turns a 304
 * into the cached 200, and sends the user back to the login screen (keeping their place) on a 401.
 */
async function hubFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers);
  const token = session.value?.token;
  if (token) headers.set('authorization', `Bearer ${token}`);
  const cached = method === 'GET' ? cache.get(url) : undefined;
  if (cached) headers.set('if-none-match', cached.etag);
  const response = await fetch(url, { ...init, headers });
  if (response.status === 401 && token) expireSession();
  if (response.status === 304 && cached) {
    return new Response(cached.body, { status: 200, headers: { 'content-type': cached.contentType } });
  }
  const etag = response.headers.get('etag');
  if (method === 'GET' && response.ok && etag) {
    const body = await response.clone().text();
    cache.set(url, { etag, body, contentType: response.headers.get('content-type') ?? 'application/json' });
  }
  return response;
}

/** Forget every cached answer (on logout: the next user must not see the last one's data). */
export const clearApiCache = () => cache.clear();

/** The typed hub client: paths, parameters and answers come from the hub's routes (`AppType`). */
export const hub = hc<AppType>(globalThis.location?.origin ?? 'http://localhost', { fetch: hubFetch }).api.v1;

/** The JSON of a success, or an ApiError carrying the hub's error envelope. */
export async function ok<T>(response: { ok: boolean; status: number; json(): Promise<T> }): Promise<T> {
  if (response.ok) return response.json();
  throw apiErrorFrom(response.status, await response.json().catch(() => null), `HTTP ${response.status}`);
}
