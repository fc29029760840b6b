import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { pushSubscriptionSchema } from '@pourcast/protocol';
import { call, freshHub, staff } from '../../test/helpers.ts';
import { ChannelError, channelsFromEnv } from './channels.ts';
import { base64url } from './web-push.ts';

/**
 * The webpush channel against a recorded push service: the test plays the browser (its own ECDH key and
 * auth secret) and decrypts what the hub sent as RFC 8291 says a browser does, and checks the VAPID JWT
 * (RFC 8292) with the hub's public key.
 */
const text = new TextEncoder();
const ENDPOINT = 'https://push.example.net/wpush/v2/gAAAAABk-recorded';

async function hmac(key: Uint8Array, data: Uint8Array) {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, data));
}
async function hkdf(salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, length: number) {
  return (await hmac(await hmac(salt, ikm), new Uint8Array([...info, 1]))).slice(0, length);
}
const ecdh = (publicKey: CryptoKey) =>
  ({ name: 'ECDH', public: publicKey }) as unknown as Parameters<SubtleCrypto['deriveBits']>[0];

let browser: { keys: CryptoKeyPair; p256dh: string; auth: Uint8Array };
let vapid: { publicKey: string; privateKey: string; verifyKey: CryptoKey };
let owner: string;
let subscriptionId: string;

beforeAll(async () => {
  const keys = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, [
    'deriveBits',
  ])) as CryptoKeyPair;
  const raw = new Uint8Array((await crypto.subtle.exportKey('raw', keys.publicKey)) as ArrayBuffer);
  browser = { keys, p256dh: base64url.encode(raw), auth: crypto.getRandomValues(new Uint8Array(16)) };
  const signing = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey('jwk', signing.privateKey)) as JsonWebKey;
  const pub = new Uint8Array((await crypto.subtle.exportKey('raw', signing.publicKey)) as ArrayBuffer);
  vapid = { publicKey: base64url.encode(pub), privateKey: jwk.d!, verifyKey: signing.publicKey };

  owner = (await freshHub()).token;
  const created = await call('POST', '/notifications/push-subscriptions', {
    token: owner,
    json: { endpoint: ENDPOINT, keys: { p256dh: browser.p256dh, auth: base64url.encode(browser.auth) } },
  });
  expect(created.status).toBe(201);
  subscriptionId = pushSubscriptionSchema.parse(created.body).id;
});

/** What the browser does with a push message (RFC 8291 §3.4, RFC 8188 §2). */
async function decrypt(body: Uint8Array) {
  const salt = body.slice(0, 16);
  const idlen = body[20]!;
  const asPublic = body.slice(21, 21 + idlen);
  const sender = await crypto.subtle.importKey(
    'raw',
    asPublic,
    { name: 'ECDH', namedCurve: 'P-256' },
    false,
    [],
  );
  const secret = new Uint8Array(await crypto.subtle.deriveBits(ecdh(sender), browser.keys.privateKey, 256));
  const uaPublic = base64url.decode(browser.p256dh);
  const info = new Uint8Array([...text.encode('WebPush: info\0'), ...uaPublic, ...asPublic]);
  const ikm = await hkdf(browser.auth, secret, info, 32);
  const cek = await hkdf(salt, ikm, text.encode('Content-Encoding: aes128gcm\0'), 16);
  const nonce = await hkdf(salt, ikm, text.encode('Content-Encoding: nonce\0'), 12);
  const key = await crypto.subtle.importKey('raw', cek, 'AES-GCM', false, ['decrypt']);
  const plain = new Uint8Array(
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce }, key, body.slice(21 + idlen)),
  );
  expect(plain.at(-1)).toBe(2);
  return JSON.parse(new TextDecoder().decode(plain.slice(0, -1)));
}

function channelWith(answer: number, requests: { headers: Headers; body: Uint8Array; url: string }[]) {
  const channels = channelsFromEnv(
    { DB: env.DB, VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey },
    (async (url: string, init: RequestInit) => {
      requests.push({ url, headers: new Headers(init.headers), body: init.body as Uint8Array });
      return new Response(null, { status: answer });
    }) as typeof fetch,
  );
  return channels.webpush!;
}

describe('the webpush channel', () => {
  it('sends the alert encrypted for the browser, with a VAPID JWT for the push service origin', async () => {
    const requests: { headers: Headers; body: Uint8Array; url: string }[] = [];
    const message = {
      subject: 'Variance on Gin',
      text: '90 ml more poured than sold',
      idempotencyKey: 'd-1',
    };
    await channelWith(201, requests).send(subscriptionId, message);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.url).toBe(ENDPOINT);
    expect(request!.headers.get('content-encoding')).toBe('aes128gcm');
    expect(Number(request!.headers.get('ttl'))).toBeGreaterThan(0);
    expect(await decrypt(request!.body)).toEqual({
      title: 'Variance on Gin',
      body: '90 ml more poured than sold',
      tag: 'd-1',
    });

    const auth = request!.headers.get('authorization')!;
    const match = /^vapid t=([^.]+)\.([^.]+)\.([^,]+), k=(.+)$/.exec(auth);
    expect(match).not.toBeNull();
    const [, header, claims, signature, k] = match!;
    expect(k).toBe(vapid.publicKey);
    const valid = await crypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      vapid.verifyKey,
      base64url.decode(signature!),
      text.encode(`${header}.${claims}`),
    );
    expect(valid).toBe(true);
    const payload = JSON.parse(new TextDecoder().decode(base64url.decode(claims!)));
    expect(payload.aud).toBe('https://push.example.net');
    expect(payload.exp - Date.now() / 1000).toBeLessThanOrEqual(24 * 3600);
    expect(payload.sub).toMatch(/^mailto:/);
  });

  it('retries a push service failure; forgets a subscription the push service says is gone', async () => {
    const requests: { headers: Headers; body: Uint8Array; url: string }[] = [];
    const message = { subject: 's', text: 't', idempotencyKey: 'd-2' };
    const busy = await channelWith(503, requests)
      .send(subscriptionId, message)
      .catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(ChannelError);
    expect((busy as ChannelError).retryable).toBe(true);
    const gone = await channelWith(410, requests)
      .send(subscriptionId, message)
      .catch((e: unknown) => e);
    expect((gone as ChannelError).retryable).toBe(false);
    const list = await call('GET', '/notifications/push-subscriptions', { token: owner });
    expect(list.body).toEqual([]);
  });
});

describe('push subscriptions and preferences', () => {
  it("accepts only the caller's own subscription as a webpush address", async () => {
    const bartender = (await staff(owner, 'bartender')).token;
    const mine = await call('POST', '/notifications/push-subscriptions', {
      token: owner,
      json: {
        endpoint: `${ENDPOINT}-2`,
        keys: { p256dh: browser.p256dh, auth: base64url.encode(browser.auth) },
      },
    });
    const set = await call('PATCH', '/notifications/preferences', {
      token: owner,
      json: { preferences: [{ channel: 'webpush', address: mine.body.id, minSeverity: 'info' }] },
    });
    expect(set.status).toBe(200);
    const theirs = await call('PATCH', '/notifications/preferences', {
      token: bartender,
      json: { preferences: [{ channel: 'webpush', address: mine.body.id }] },
    });
    expect(theirs.status).toBe(422);
    expect(theirs.body.error.details).toEqual([
      'body.preferences.0.address: not one of your push subscriptions',
    ]);
    const bad = await call('POST', '/notifications/push-subscriptions', {
      token: owner,
      json: { endpoint: 'http://push.example.net/x', keys: { p256dh: 'short', auth: 'x' } },
    });
    expect(bad.status).toBe(400);
    const key = await call('GET', '/notifications/vapid-key', { token: bartender });
    expect(key.body).toEqual({ publicKey: null });
  });
});
