import { signal } from '@preact/signals';

const KEY = 'pourcast.staff-initials';

/** Who is working this screen: initials typed once, remembered on the device, sent with waste and undo. */
export const initials = signal<string>(readStored());

function readStored(): string {
  try {
    return globalThis.localStorage?.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export const validInitials = (value: string) => /^[A-Za-z]{2,4}$/.test(value.trim());

export function setInitials(value: string) {
  const next = value.trim().toUpperCase().slice(0, 4);
  initials.value = next;
  try {
    globalThis.localStorage?.setItem(KEY, next);
  } catch {
    // private mode: kept for this session only
  }
}
