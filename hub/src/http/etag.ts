import type { MiddlewareHandler } from 'hono';
import type { HubEnv } from '../env.ts';

/** A strong validator for a body: the first 16 bytes of its SHA-256, hex. */
async function digest(body: ArrayBuffer): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', body));
  return `"${[...hash.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('')}"`;
}

/** True when an If-None-Match header names the tag (a list, weak tags or `*`; RFC 9110 §13.1.2). */
export function matchesTag(ifNoneMatch: string | undefined, tag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = tag.replace(/^W\//, '');
  return ifNoneMatch
    .split(',')
    .map((part) => part.trim().replace(/^W\//, ''))
    .some((candidate) => candidate === '*' || candidate === bare);
}

/**
 * ETags on the API's authorised GET JSON answers, so the manager app polls cheaply: a request whose
 * If-None-Match names the current tag gets 304 with no body (RFC 9110 §15.4.5). The tag hashes the body
 * the caller would get, so it already differs per organization and per role (money figures or not).
 * Public answers (health) and non-JSON downloads are left alone; Cache-Control stays the security
 * middleware's `no-store`: the app keeps its own copy, no shared cache ever holds one.
 */
export const jsonEtags: MiddlewareHandler<HubEnv> = async (c, next) => {
  await next();
  if (c.req.method !== 'GET' || !c.req.header('authorization')) return;
  if (c.res.status !== 200 || !c.res.headers.get('content-type')?.startsWith('application/json')) return;
  const body = await c.res.clone().arrayBuffer();
  const tag = await digest(body);
  if (matchesTag(c.req.header('if-none-match'), tag)) {
    const headers = new Headers(c.res.headers);
    headers.delete('content-type');
    headers.delete('content-length');
    headers.set('etag', tag);
    c.res = undefined as unknown as Response; // Hono merges headers into a replaced response otherwise
    c.res = new Response(null, { status: 304, headers });
    return;
  }
  c.res.headers.set('etag', tag);
};
