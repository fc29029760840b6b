import { computed, signal } from '@preact/signals';
import type { LoginResponse } from '@pourcast/protocol';

const KEY = 'pourcast.manager.session';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function restore(): LoginResponse | null {
  try {
    const stored = JSON.parse(storage()?.getItem(KEY) ?? 'null') as LoginResponse | null;
    return stored && new Date(stored.expiresAt).getTime() > Date.now() ? stored : null;
  } catch {
    return null;
  }
}

/** The logged-in user's session (token, expiry, user with role), kept across reloads until it expires. */
export const session = signal<LoginResponse | null>(restore());
export const role = computed(() => session.value?.user.role ?? null);
/** Why the login screen shows: a session that ran out says so instead of looking like a fresh visit. */
export const loginReason = signal<'expired' | 'logged-out' | null>(null);

let expiryTimer: ReturnType<typeof setTimeout> | undefined;

function watchExpiry(next: LoginResponse | null) {
  clearTimeout(expiryTimer);
  if (!next) return;
  const left = new Date(next.expiresAt).getTime() - Date.now();
  // Timers cap at ~24.8 days; sessions last hours. The hub's 401 expires it too if the clock disagrees.
  expiryTimer = setTimeout(() => expireSession(), Math.max(0, Math.min(left, 2 ** 31 - 1)));
}

export function startSession(next: LoginResponse) {
  session.value = next;
  loginReason.value = null;
  storage()?.setItem(KEY, JSON.stringify(next));
  watchExpiry(next);
}

function endSession(reason: 'expired' | 'logged-out') {
  session.value = null;
  loginReason.value = reason;
  storage()?.removeItem(KEY);
  clearTimeout(expiryTimer);
}

/** The hub said 401 or the clock passed expiresAt: back to login, the current screen stays in the URL. */
export const expireSession = () => session.value && endSession('expired');
export const logout = () => endSession('logged-out');

watchExpiry(session.value);
