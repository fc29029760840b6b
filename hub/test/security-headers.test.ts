import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
/// <reference types="vite/client" />
import assetHeaders from '../../dashboard/public-manager/_headers?raw';
import { API_CSP, DASHBOARD_CSP, securityHeadersFor } from '../src/http/security-headers.ts';

const fetchHub = (path: string, init?: RequestInit) =>
  exports.default.fetch(new Request(`http://hub.test${path}`, init));

describe('security headers on every hub answer', () => {
  it.each([
    ['a success', '/api/v1/health', undefined],
    ['a 401', '/api/v1/items', undefined],
    [
      'a 400',
      '/api/v1/auth/login',
      { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } },
    ],
    ['an unknown API route', '/api/v1/no-such-route', undefined],
    ['a path outside the API', '/index.html', undefined],
  ] as const)('%s', async (_name, path, init) => {
    const response = await fetchHub(path, init as RequestInit | undefined);
    await response.arrayBuffer();
    const h = response.headers;
    expect(h.get('strict-transport-security')).toMatch(/max-age=\d{8,}; includeSubDomains/);
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('referrer-policy')).toBe('no-referrer');
    expect(h.get('x-frame-options')).toBe('DENY');
    const csp = h.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toBe(path.startsWith('/api/') ? API_CSP : DASHBOARD_CSP);
    if (path.startsWith('/api/')) expect(h.get('cache-control')).toBe('no-store');
  });

  it("keeps the dashboard's scripts to its own origin", () => {
    const scripts = DASHBOARD_CSP.split('; ').find((d) => d.startsWith('script-src'));
    expect(scripts).toBe("script-src 'self'");
  });

  it("gives the dashboard's static assets the same headers (dashboard/public-manager/_headers)", () => {
    const lines = assetHeaders.split('\n').filter((line) => line.startsWith('  '));
    const fromFile = Object.fromEntries(
      lines.map((line) =>
        line
          .trim()
          .split(/:\s(.*)/s)
          .slice(0, 2),
      ),
    );
    expect(assetHeaders).toMatch(/^\/\*$/m);
    expect(fromFile).toEqual(securityHeadersFor('/'));
  });
});
