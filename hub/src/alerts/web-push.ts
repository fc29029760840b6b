import { ChannelError, type NotificationChannel } from './channels.ts';

/**
 * Web push with WebCrypto only (runs in workerd): the message encrypted for the browser's subscription
 * (RFC 8291, `aes128gcm` content coding of RFC 8188) and the request signed for the push service with a
 * VAPID JWT (RFC 8292, ES256).
 */
const encoder = new TextEncoder();

/** Bytes over a plain ArrayBuffer: what WebCrypto and fetch bodies take under both the DOM and the Workers types. */
type Bytes = Uint8Array<ArrayBuffer>;
/** TextEncoder always answers with a fresh ArrayBuffer; some type libraries only say ArrayBufferLike. */
const utf8 = (text: string) => encoder.encode(text) as Bytes;

export const base64url = {
  encode(bytes: Uint8Array): string {
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  },
  decode(text: string): Bytes {
    const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  },
};

const concat = (...parts: Bytes[]): Bytes => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

async function hmac(key: Bytes, data: Bytes): Promise<Bytes> {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, data));
}

/** HKDF-SHA-256 (RFC 5869) for outputs up to 32 bytes: one expand block. */
async function hkdf(salt: Bytes, ikm: Bytes, info: Bytes, length: number): Promise<Bytes> {
  const prk = await hmac(salt, ikm);
  return (await hmac(prk, concat(info, new Uint8Array([1])))).slice(0, length);
}

/** WebCrypto's ECDH parameters; workers-types spell the `public` member `$public` (a C++ name), the runtime reads `public`. */
const ecdh = (publicKey: CryptoKey) =>
  ({ name: 'ECDH', public: publicKey }) as unknown as Parameters<SubtleCrypto['deriveBits']>[0];

export interface PushSubscriptionKeys {
  endpoint: string;
  /** The browser's P-256 public key, uncompressed (65 bytes), base64url. */
  p256dh: string;
  /** 16-byte authentication secret, base64url. */
  auth: string;
}

/** RFC 8291 §3-4: one aes128gcm record, the sender's ephemeral public key as the key id. */
export async function encryptPayload(
  subscription: PushSubscriptionKeys,
  plaintext: Bytes,
  ephemeral?: CryptoKeyPair,
  salt: Bytes = crypto.getRandomValues(new Uint8Array(16)),
): Promise<Bytes> {
  const uaPublic = base64url.decode(subscription.p256dh);
  const authSecret = base64url.decode(subscription.auth);
  const pair =
    ephemeral ??
    ((await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, [
      'deriveBits',
    ])) as CryptoKeyPair);
  const asPublic = new Uint8Array((await crypto.subtle.exportKey('raw', pair.publicKey)) as ArrayBuffer);
  const uaKey = await crypto.subtle.importKey(
    'raw',
    uaPublic,
    { name: 'ECDH', namedCurve: 'P-256' },
    false,
    [],
  );
  const ecdhSecret = new Uint8Array(await crypto.subtle.deriveBits(ecdh(uaKey), pair.privateKey, 256));
  // §3.4: IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" || 0x00 || ua_public || as_public, 32)
  const keyInfo = concat(utf8('WebPush: info\0'), uaPublic, asPublic);
  const ikm = await hkdf(authSecret, ecdhSecret, keyInfo, 32);
  // RFC 8188 §2.2-2.3: content encryption key and nonce from the salt.
  const cek = await hkdf(salt, ikm, utf8('Content-Encoding: aes128gcm\0'), 16);
  const nonce = await hkdf(salt, ikm, utf8('Content-Encoding: nonce\0'), 12);
  const key = await crypto.subtle.importKey('raw', cek, 'AES-GCM', false, ['encrypt']);
  // One record: the plaintext, then the last-record delimiter 0x02 (RFC 8188 §2).
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce }, key, concat(plaintext, new Uint8Array([2]))),
  );
  const header = new Uint8Array(16 + 4 + 1);
  header.set(salt, 0);
  new DataView(header.buffer).setUint32(16, 4096);
  header[20] = asPublic.length;
  return concat(header, asPublic, sealed);
}

export interface VapidKeys {
  /** Uncompressed P-256 public key, base64url (what browsers get as applicationServerKey). */
  publicKey: string;
  /** The private scalar d, base64url. A secret: `wrangler secret put VAPID_PRIVATE_KEY`. */
  privateKey: string;
  /** Contact for the push service operator, `mailto:` or https (RFC 8292 §2.1). */
  subject: string;
}

/** RFC 8292 §2-3: `Authorization: vapid t=<ES256 JWT for the endpoint's origin>, k=<public key>`. */
export async function vapidAuthorization(endpoint: string, vapid: VapidKeys, now: Date): Promise<string> {
  const pub = base64url.decode(vapid.publicKey);
  const jwk: JsonWebKey = {
    kty: 'EC',
    crv: 'P-256',
    x: base64url.encode(pub.slice(1, 33)),
    y: base64url.encode(pub.slice(33, 65)),
    d: vapid.privateKey,
  };
  const key = await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
  ]);
  const part = (value: object) => base64url.encode(utf8(JSON.stringify(value)));
  const claims = {
    aud: new URL(endpoint).origin,
    exp: Math.floor(now.getTime() / 1000) + 12 * 3600,
    sub: vapid.subject,
  };
  const unsigned = `${part({ typ: 'JWT', alg: 'ES256' })}.${part(claims)}`;
  // WebCrypto's ECDSA signature is r || s, the JWS form (RFC 7518 §3.4).
  const signature = new Uint8Array(
    await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, utf8(unsigned)),
  );
  return `vapid t=${unsigned}.${base64url.encode(signature)}, k=${vapid.publicKey}`;
}

export interface WebPushOptions {
  vapid: VapidKeys;
  /** The stored subscription for a preference's address (the subscription id), or null when gone. */
  subscription: (id: string) => Promise<PushSubscriptionKeys | null>;
  /** Called when the push service says the subscription is gone (404/410), so it is deleted. */
  onGone?: (id: string) => Promise<void>;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** The web push channel: the alert's title and text as JSON, encrypted, to the subscription's push service. */
export function webPushChannel(options: WebPushOptions): NotificationChannel {
  const doFetch = options.fetch ?? fetch;
  return {
    kind: 'webpush',
    async send(address, message) {
      const subscription = await options.subscription(address);
      if (!subscription) throw new ChannelError('the push subscription is gone', false);
      const payload = utf8(
        JSON.stringify({ title: message.subject, body: message.text, tag: message.idempotencyKey }),
      );
      const body = await encryptPayload(subscription, payload);
      const now = options.now?.() ?? new Date();
      const response = await doFetch(subscription.endpoint, {
        method: 'POST',
        headers: {
          authorization: await vapidAuthorization(subscription.endpoint, options.vapid, now),
          'content-encoding': 'aes128gcm',
          'content-type': 'application/octet-stream',
          ttl: '86400',
          urgency: 'high',
        },
        body,
      });
      if (response.status === 404 || response.status === 410) {
        await options.onGone?.(address);
        throw new ChannelError(`push service answered ${response.status}: subscription expired`, false);
      }
      if (!response.ok)
        throw new ChannelError(
          `push service answered ${response.status}`,
          response.status >= 500 || response.status === 429,
        );
    },
  };
}
