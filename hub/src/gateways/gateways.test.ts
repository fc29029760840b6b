import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import {
  claimCodeResponseSchema,
  gatewayCatalogSchema,
  gatewayClaimResponseSchema,
  sha256Base64Url,
  type LoginResponse,
} from '@pourcast/protocol';
import {
  call,
  claimGateway,
  createItem,
  createLocation,
  freshHub,
  otherOrganization,
  staff,
} from '../../test/helpers.ts';
import { openDb } from '../db/client.ts';
import { normalizeClaimCode } from './claim.ts';

let owner: LoginResponse;
let locationId: string;

beforeEach(async () => {
  owner = await freshHub();
  locationId = await createLocation(owner.token, 'The Copper Still');
});

afterEach(() => {
  vi.useRealTimers();
});

const newCode = async (token = owner.token) => {
  const answer = await call('POST', `/locations/${locationId}/claim-codes`, { token });
  expect(answer.status).toBe(201);
  return claimCodeResponseSchema.parse(answer.body);
};

describe('claim codes', () => {
  it('are shown once, stored only as a hash, and expire after 24 hours', async () => {
    const technician = await staff(owner.token, 'technician');
    const { code, expiresAt } = await newCode(technician.token);
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    const rows = await openDb(env.DB).all<Record<string, unknown>>(sql`SELECT * FROM claim_codes`);
    expect(JSON.stringify(rows)).not.toContain(code);
    expect(rows[0]!.code_hash).toBe(await sha256Base64Url(normalizeClaimCode(code)));
  });

  it('claim a gateway exactly once', async () => {
    const { code } = await newCode();
    const first = await call('POST', '/gateways/claim', {
      json: { code: code.toLowerCase(), name: 'back bar' },
    });
    expect(first.status).toBe(201);
    const claimed = gatewayClaimResponseSchema.parse(first.body);
    expect(claimed).toMatchObject({ locationId, organizationId: owner.user.organizationId });
    expect(claimed.token).toMatch(/^pgw_[\w-]{43}$/);
    const stored = await openDb(env.DB).get<Record<string, unknown>>(
      sql`SELECT token_hash FROM gateways WHERE id = ${claimed.gatewayId}`,
    );
    expect(stored!.token_hash).toBe(await sha256Base64Url(claimed.token));

    const second = await call('POST', '/gateways/claim', { json: { code, name: 'again' } });
    expect(second.status).toBe(401);
    expect(second.body.error.code).toBe('claim_code_invalid');
    const unknown = await call('POST', '/gateways/claim', { json: { code: 'AAAA-BBBB-CCCC' } });
    expect(unknown.status).toBe(401);
  });

  it('stop working after they expire', async () => {
    const { code } = await newCode();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 24 * 3_600_000 + 1000);
    const late = await call('POST', '/gateways/claim', { json: { code } });
    expect(late.status).toBe(401);
    vi.useRealTimers();
    const before = await newCode();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 23 * 3_600_000);
    expect((await call('POST', '/gateways/claim', { json: { code: before.code } })).status).toBe(201);
  });

  it('are refused for a location of another organization', async () => {
    const stranger = await otherOrganization();
    const answer = await call('POST', `/locations/${locationId}/claim-codes`, { token: stranger.token });
    expect(answer.status).toBe(404);
  });
});

describe('gateway tokens', () => {
  it('rotate: the old token stops at once and the new one works', async () => {
    const gateway = await claimGateway(owner.token, locationId);
    const catalog = (token: string) => call('GET', `/gateways/${gateway.gatewayId}/catalog`, { token });
    expect((await catalog(gateway.token)).status).toBe(200);
    const rotated = await call('POST', `/gateways/${gateway.gatewayId}/token/rotate`, { token: owner.token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.gatewayId).toBe(gateway.gatewayId);
    expect((await catalog(gateway.token)).status).toBe(401);
    expect((await catalog(rotated.body.token)).status).toBe(200);
  });

  it('revoke: the gateway shows as revoked and its token is refused', async () => {
    const gateway = await claimGateway(owner.token, locationId);
    expect(
      (await call('DELETE', `/gateways/${gateway.gatewayId}/token`, { token: owner.token })).status,
    ).toBe(204);
    const listed = await call('GET', '/gateways', { token: owner.token });
    expect(listed.body).toMatchObject([{ id: gateway.gatewayId, revoked: true, ackSeq: 0 }]);
    const catalog = await call('GET', `/gateways/${gateway.gatewayId}/catalog`, { token: gateway.token });
    expect(catalog.status).toBe(401);
  });

  it("cannot be rotated by another organization's owner", async () => {
    const gateway = await claimGateway(owner.token, locationId);
    const stranger = await otherOrganization();
    const answer = await call('POST', `/gateways/${gateway.gatewayId}/token/rotate`, {
      token: stranger.token,
    });
    expect(answer.status).toBe(404);
  });
});

describe('GET /gateways/:id/catalog', () => {
  it("answers its organization's active items, only to the gateway itself", async () => {
    const gin = await createItem(owner.token, {
      name: 'Gin',
      barcodes: ['5000000000017'],
      emptyWeightG: 520,
    });
    const archived = await createItem(owner.token, { name: 'Old Rum' });
    await call('DELETE', `/items/${archived.id}`, { token: owner.token });
    const stranger = await otherOrganization();
    await createItem(stranger.token, { name: 'Foreign Vodka' });
    const gateway = await claimGateway(owner.token, locationId);
    const other = await claimGateway(owner.token, locationId);

    const answer = await call('GET', `/gateways/${gateway.gatewayId}/catalog`, { token: gateway.token });
    expect(answer.status).toBe(200);
    expect(gatewayCatalogSchema.parse(answer.body)).toEqual({
      locationId,
      items: [
        {
          id: gin.id,
          name: 'Gin',
          category: 'spirit',
          containerMl: 700,
          barcodes: ['5000000000017'],
          emptyWeightG: 520,
          densityGPerMl: 1,
        },
      ],
    });
    const theirs = await call('GET', `/gateways/${other.gatewayId}/catalog`, { token: gateway.token });
    expect(theirs.status).toBe(403);
  });
});
