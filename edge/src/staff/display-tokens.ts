import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, randomInt } from 'node:crypto';
import { z } from 'zod';
import { formatIssues, generateSecret, sha256Base64Url } from '@pourcast/protocol';
import { writePrivateFile } from '@pourcast/firmware-config';
import type { Logger } from '../log.ts';

export const DISPLAY_TOKENS_FILE = 'display-tokens.json';
const CODE_TTL_MS = 10 * 60_000;
/** Wrong codes before every outstanding code is void (8 digits: guessing is hopeless within this). */
const MAX_FAILED_ATTEMPTS = 10;

const tokensFileSchema = z.strictObject({
  version: z.literal(1),
  displays: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      tokenHash: z.string(),
      pairedAt: z.iso.datetime({ offset: true }),
    }),
  ),
});
type TokensFile = z.infer<typeof tokensFileSchema>;

export interface PairedDisplay {
  id: string;
  name: string;
}

/**
 * Who may write from the bar LAN: a staff display paired with this gateway.
 * The technician asks for a one-time 8-digit code (admin token, `POST /api/v1/staff/pairing-codes`), types it
 * on the tablet, and the tablet receives a display token (kept as an HttpOnly cookie). Tokens are stored as
 * SHA-256 hashes in `<dataDir>/display-tokens.json` (0600) and never logged; codes live in memory only.
 */
export class DisplayTokens {
  #file: TokensFile = { version: 1, displays: [] };
  readonly #codes = new Map<string, number>();
  #failed = 0;
  readonly #path: string;

  constructor(
    dataDir: string,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.#path = join(dataDir, DISPLAY_TOKENS_FILE);
  }

  /** Loads the paired displays; a damaged file is reported line by line and treated as no displays. */
  load(): void {
    if (!existsSync(this.#path)) return;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.#path, 'utf8'));
    } catch (error) {
      this.log.warn('display tokens file unreadable; displays must pair again', {
        reason: (error as Error).message,
      });
      return;
    }
    const parsed = tokensFileSchema.safeParse(raw);
    if (!parsed.success) {
      this.log.warn('display tokens file invalid; displays must pair again', {
        issues: formatIssues(parsed.error),
      });
      return;
    }
    this.#file = parsed.data;
  }

  /** A fresh single-use code, valid 10 minutes. */
  issueCode(): { code: string; expiresAt: string } {
    const now = this.now();
    for (const [code, expires] of this.#codes) if (expires <= now) this.#codes.delete(code);
    const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
    this.#codes.set(code, now + CODE_TTL_MS);
    this.#failed = 0;
    return { code, expiresAt: new Date(now + CODE_TTL_MS).toISOString() };
  }

  /** Trades a valid code for a display token; null when the code is wrong, used or expired. */
  async pair(code: string, name: string): Promise<(PairedDisplay & { token: string }) | null> {
    const expires = this.#codes.get(code);
    if (expires === undefined || expires <= this.now()) {
      if (++this.#failed >= MAX_FAILED_ATTEMPTS) this.#codes.clear();
      return null;
    }
    this.#codes.delete(code);
    const token = generateSecret();
    const display = { id: `display-${randomBytes(4).toString('hex')}`, name };
    this.#file.displays.push({
      ...display,
      tokenHash: await sha256Base64Url(token),
      pairedAt: new Date(this.now()).toISOString(),
    });
    await writePrivateFile(this.#path, `${JSON.stringify(this.#file, null, 2)}\n`);
    this.log.info('staff display paired', display);
    return { ...display, token };
  }

  /** The paired display holding this token, if any. */
  async verify(token: string | undefined): Promise<PairedDisplay | null> {
    if (!token) return null;
    const hash = await sha256Base64Url(token);
    const found = this.#file.displays.find((display) => sameText(display.tokenHash, hash));
    return found ? { id: found.id, name: found.name } : null;
  }

  displays(): PairedDisplay[] {
    return this.#file.displays.map(({ id, name }) => ({ id, name }));
  }
}

/** Compares two hashes without an early exit on content. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
