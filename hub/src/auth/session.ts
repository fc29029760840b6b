import { sign, verify } from 'hono/jwt';
import { roleSchema, type Role } from '@pourcast/protocol';
import { AppError } from '../http/app-error.ts';
import type { HubBindings } from '../env.ts';

export const MIN_JWT_SECRET_LENGTH = 32;

/** The signing key, or a clear refusal when the deployment forgot to set a strong one. */
export function jwtSecret(env: HubBindings): string {
  const secret = env.JWT_SECRET;
  if (!secret || secret.length < MIN_JWT_SECRET_LENGTH) {
    throw new AppError(
      500,
      'jwt_secret_missing',
      `JWT_SECRET is missing or shorter than ${MIN_JWT_SECRET_LENGTH} characters: set it in .dev.vars ` +
        '(local) or with `wrangler secret put JWT_SECRET`; the hub refuses to issue sessions without it',
    );
  }
  return secret;
}

export interface SessionClaims {
  sub: string;
  org: string;
  role: Role;
}

/** Signs an HS256 session (default 12 h, `SESSION_TTL_HOURS`). */
export async function issueSession(env: HubBindings, claims: SessionClaims, now = Date.now()) {
  const secret = jwtSecret(env);
  const ttlHours = Number(env.SESSION_TTL_HOURS ?? 12) || 12;
  const iat = Math.floor(now / 1000);
  const exp = iat + Math.round(ttlHours * 3600);
  const token = await sign({ ...claims, iat, exp }, secret, 'HS256');
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/** Verifies signature and expiry; any failure is a 401. */
export async function readSession(env: HubBindings, token: string): Promise<SessionClaims> {
  const secret = jwtSecret(env);
  let payload: Record<string, unknown>;
  try {
    payload = await verify(token, secret, 'HS256');
  } catch {
    throw new AppError(401, 'unauthorized', 'session is invalid or expired; log in again');
  }
  const role = roleSchema.safeParse(payload.role);
  if (typeof payload.sub !== 'string' || typeof payload.org !== 'string' || !role.success) {
    throw new AppError(401, 'unauthorized', 'session is missing its claims; log in again');
  }
  return { sub: payload.sub, org: payload.org, role: role.data };
}
