import { beforeEach, describe, expect, it } from 'vitest';
import { gatewayParsSchema, type LoginResponse } from '@pourcast/protocol';
import {
  batch,
  call,
  claimGateway,
  createItem,
  createLocation,
  event,
  freshHub,
  otherOrganization,
} from '../../test/helpers.ts';

let owner: LoginResponse;
let locationId: string;

beforeEach(async () => {
  owner = await freshHub();
  locationId = await createLocation(owner.token, 'The Copper Still');
});

describe('GET /gateways/:id/pars', () => {
  it("answers the bar's par in force and on-hand stock with the ack seq it includes", async () => {
    const gin = await createItem(owner.token, { name: 'Gin', containerMl: 700, parLevelMl: 1400 });
    const rum = await createItem(owner.token, { name: 'Rum', containerMl: 700, parLevelMl: 2100 });
    const tonic = await createItem(owner.token, { name: 'Tonic', containerMl: 200 });
    const archived = await createItem(owner.token, { name: 'Old Vodka', parLevelMl: 700 });
    await call('DELETE', `/items/${archived.id}`, { token: owner.token });
    const stranger = await otherOrganization();
    await createItem(stranger.token, { name: 'Foreign Gin', parLevelMl: 700 });
    // A par pinned for this bar wins over the catalog's.
    const pinned = await call('PATCH', `/locations/${locationId}/pars/${rum.id}`, {
      token: owner.token,
      json: { parMl: 3500 },
    });
    expect(pinned.status).toBe(200);
    // The same item pinned at another bar changes nothing here.
    const otherBar = await createLocation(owner.token, 'The Annex');
    await call('PATCH', `/locations/${otherBar}/pars/${gin.id}`, { token: owner.token, json: { parMl: 99 } });

    const gateway = await claimGateway(owner.token, locationId);
    const before = await call('GET', `/gateways/${gateway.gatewayId}/pars`, { token: gateway.token });
    expect(before.status).toBe(200);
    expect(gatewayParsSchema.parse(before.body)).toMatchObject({
      locationId,
      ackSeq: 0,
      items: [
        { itemId: gin.id, parMl: 1400, onHandMl: 0 },
        { itemId: rum.id, parMl: 3500, onHandMl: 0 },
        { itemId: tonic.id, parMl: null, onHandMl: 0 },
      ],
    });

    const sent = await call('POST', `/gateways/${gateway.gatewayId}/events`, {
      token: gateway.token,
      json: batch(gateway.gatewayId, 1, [
        event(gateway.gatewayId, 1, {
          locationId,
          itemId: gin.id,
          kind: 'receive',
          deltaMl: 1400,
          containersDelta: 2,
          source: 'scanner',
        }),
        event(gateway.gatewayId, 2, { locationId, itemId: gin.id, deltaMl: -45 }),
      ]),
    });
    expect(sent.status).toBe(200);
    const after = gatewayParsSchema.parse(
      (await call('GET', `/gateways/${gateway.gatewayId}/pars`, { token: gateway.token })).body,
    );
    expect(after.ackSeq).toBe(2);
    expect(after.items.find((line) => line.itemId === gin.id)).toEqual({
      itemId: gin.id,
      parMl: 1400,
      onHandMl: 1355,
    });
  });

  it('answers only the gateway itself, never a person', async () => {
    const gateway = await claimGateway(owner.token, locationId);
    const other = await claimGateway(owner.token, locationId);
    const theirs = await call('GET', `/gateways/${other.gatewayId}/pars`, { token: gateway.token });
    expect(theirs.status).toBe(403);
    const person = await call('GET', `/gateways/${gateway.gatewayId}/pars`, { token: owner.token });
    expect(person.status).toBe(401);
    const nobody = await call('GET', `/gateways/${gateway.gatewayId}/pars`);
    expect(nobody.status).toBe(401);
  });
});
