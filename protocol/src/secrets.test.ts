import { describe, expect, it } from 'vitest';
import { generateSecret, hashSecret, verifySecret } from './secrets.ts';
import { secretHashSchema } from './provisioning.ts';

describe('device secrets', () => {
  it('verifies the right secret and refuses a wrong one', async () => {
    const secret = generateSecret();
    const hash = await hashSecret(secret);
    expect(secretHashSchema.safeParse(hash).success).toBe(true);
    expect(await verifySecret(secret, hash)).toBe(true);
    expect(await verifySecret(secret + 'x', hash)).toBe(false);
    expect(await verifySecret(secret, 'garbage')).toBe(false);
  });

  it('salts each hash', async () => {
    const secret = generateSecret();
    expect(await hashSecret(secret)).not.toBe(await hashSecret(secret));
  });
});
