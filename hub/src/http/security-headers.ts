import type { MiddlewareHandler } from 'hono';
import type { HubEnv } from '../env.ts';

/**
 * The manager app's policy (also in dashboard/public-manager/_headers for the static assets): scripts and
 * styles only from the hub's own origin, no inline script, no framing, no plugins.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The API answers JSON (and CSV/PDF downloads): nothing in it may load or run anything. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Headers every hub answer carries (OWASP Secure Headers Project recommendations). */
export function securityHeadersFor(path: string): Record<string, string> {
  return {
    'content-security-policy': path.startsWith('/api/') ? API_CSP : DASHBOARD_CSP,
    // Two years, subdomains, preload-eligible (hstspreload.org's minimum is one year).
    'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}

/** Sets the headers on every answer, errors and 404s included (they pass through `app.onError` first). */
export const securityHeaders: MiddlewareHandler<HubEnv> = async (c, next) => {
  await next();
  const headers = securityHeadersFor(c.req.path);
  // Answers built from a fetch (static assets) may have immutable headers: copy them into a new Response.
  try {
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  } catch {
    const response = new Response(c.res.body, c.res);
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    c.res = response;
  }
  if (c.req.path.startsWith('/api/') && !c.res.headers.has('cache-control'))
    c.res.headers.set('cache-control', 'no-store');
};
