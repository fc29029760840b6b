/**
 * Device secrets are 32 random bytes, so a keyed hash with a per-secret salt is enough to store them
 * (no password-stretching needed: there is nothing to guess). WebCrypto only, so the gateway, the
 * provisioning CLI and the hub share this code.
 */
const encoder = new TextEncoder();

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** A new random secret (256 bits, base64url). */
export function generateSecret(bytes = 32): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

async function digest(salt: Uint8Array<ArrayBuffer>, secret: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', salt, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(secret)));
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return `hmac-sha256$${toBase64Url(salt)}$${toBase64Url(await digest(salt, secret))}`;
}

/** Constant-time comparison of the secret against a stored hash; false for a malformed hash. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, saltText, hashText] = stored.split('$');
  if (scheme !== 'hmac-sha256' || !saltText || !hashText) return false;
  const expected = fromBase64Url(hashText);
  const actual = await digest(fromBase64Url(saltText), secret);
  if (expected.length !== actual.length) return false;
  let diff = 0;
  for (let i = 0; i < actual.length; i++) diff |= actual[i]! ^ expected[i]!;
  return diff === 0;
}

/** SHA-256 of a high-entropy token (gateway tokens, claim codes), base64url. */
export async function sha256Base64Url(text: string): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text))));
}
