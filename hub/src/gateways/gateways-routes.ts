import { Hono } from 'hono';
import { z } from 'zod';
import {
  claimCodeResponseSchema,
  deviceHealthAckSchema,
  deviceHealthReportSchema,
  gatewayCatalogSchema,
  gatewayClaimRequestSchema,
  gatewayClaimResponseSchema,
  gatewayDeviceSchema,
  gatewaySummarySchema,
  gatewayTokenResponseSchema,
} from '@pourcast/protocol';
import { currentGateway, currentUser } from '../auth/guards.ts';
import { openDb } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { idParam } from '../http/params.ts';
import { route } from '../http/route.ts';
import { valid } from '../http/validate.ts';
import { getLocation } from '../locations/locations.ts';
import { claimGateway, createClaimCode } from './claim.ts';
import { listGatewayDevices, storeDeviceReport } from './device-health.ts';
import { gatewayCatalog, listGateways, revokeGatewayToken, rotateGatewayToken } from './gateways.ts';

export const gatewaysRoutes = new Hono<HubEnv>()
  .post(
    '/locations/:id/claim-codes',
    route({
      method: 'post',
      path: '/locations/:id/claim-codes',
      tag: 'gateways',
      summary: 'A one-time code (24 h) for claiming a gateway to this bar; shown once, stored hashed',
      access: { kind: 'user', right: 'gateways:claim' },
      response: claimCodeResponseSchema,
      status: 201,
    }),
    valid('param', idParam),
    async (c) => {
      const user = currentUser(c);
      const db = openDb(c.env.DB);
      const location = await getLocation(db, user.organizationId, c.req.valid('param').id);
      const code = await createClaimCode(db, c.env, {
        organizationId: user.organizationId,
        locationId: location.id,
        userId: user.userId,
      });
      return c.json(code, 201);
    },
  )
  .post(
    '/gateways/claim',
    route({
      method: 'post',
      path: '/gateways/claim',
      tag: 'gateways',
      summary: 'A gateway spends a claim code for its token (the code is the credential, once)',
      access: { kind: 'claim-code' },
      body: gatewayClaimRequestSchema,
      response: gatewayClaimResponseSchema,
      status: 201,
    }),
    valid('json', gatewayClaimRequestSchema),
    async (c) => {
      const { code, name } = c.req.valid('json');
      return c.json(await claimGateway(c.env.DB, code, name), 201);
    },
  )
  .get(
    '/gateways',
    route({
      method: 'get',
      path: '/gateways',
      tag: 'gateways',
      summary: "The organization's gateways: ack seq, last seen, recorded gaps",
      access: { kind: 'user', right: 'gateways:read' },
      response: z.array(gatewaySummarySchema),
    }),
    async (c) => c.json(await listGateways(openDb(c.env.DB), currentUser(c).organizationId), 200),
  )
  .get(
    '/gateways/devices',
    route({
      method: 'get',
      path: '/gateways/devices',
      tag: 'gateways',
      summary: "Every gateway's devices as last reported: state, last status, calibration date, scale drift",
      access: { kind: 'user', right: 'gateways:read' },
      response: z.array(gatewayDeviceSchema),
    }),
    async (c) => c.json(await listGatewayDevices(c.env.DB, currentUser(c).organizationId), 200),
  )
  .post(
    '/gateways/:id/token/rotate',
    route({
      method: 'post',
      path: '/gateways/:id/token/rotate',
      tag: 'gateways',
      summary: "Replace a gateway's token (the old one stops working at once)",
      access: { kind: 'user', right: 'gateways:manage' },
      response: gatewayTokenResponseSchema,
    }),
    valid('param', idParam),
    async (c) => {
      const db = openDb(c.env.DB);
      return c.json(
        await rotateGatewayToken(db, currentUser(c).organizationId, c.req.valid('param').id),
        200,
      );
    },
  )
  .delete(
    '/gateways/:id/token',
    route({
      method: 'delete',
      path: '/gateways/:id/token',
      tag: 'gateways',
      summary: "Revoke a gateway's token",
      access: { kind: 'user', right: 'gateways:manage' },
      status: 204,
    }),
    valid('param', idParam),
    async (c) => {
      await revokeGatewayToken(openDb(c.env.DB), currentUser(c).organizationId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .get(
    '/gateways/:id/catalog',
    route({
      method: 'get',
      path: '/gateways/:id/catalog',
      tag: 'gateways',
      summary: "The gateway's offline catalog: its organization's items (gateway token, own id only)",
      access: { kind: 'gateway' },
      response: gatewayCatalogSchema,
    }),
    async (c) => {
      const gateway = currentGateway(c);
      return c.json(await gatewayCatalog(openDb(c.env.DB), gateway.organizationId, gateway.locationId), 200);
    },
  )
  .post(
    '/gateways/:id/devices/health',
    route({
      method: 'post',
      path: '/gateways/:id/devices/health',
      tag: 'gateways',
      summary:
        "The gateway's devices: state and scale drift (gateway token, own id only); replaces the last report",
      access: { kind: 'gateway' },
      body: deviceHealthReportSchema,
      response: deviceHealthAckSchema,
    }),
    valid('json', deviceHealthReportSchema),
    async (c) => c.json(await storeDeviceReport(c.env.DB, currentGateway(c), c.req.valid('json')), 200),
  );
