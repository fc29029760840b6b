import { useState } from 'preact/hooks';
import type { RecentEvent } from '@pourcast/protocol';
import { formatDate, formatVolume, t } from '../../shared/i18n.ts';
import { api } from '../api.ts';
import { addRecent, paired, recent } from '../state.ts';
import { initials, validInitials } from '../staff-initials.ts';
import { InitialsField } from './initials-field.tsx';
import { ActionStatus, failureText, type ActionMessage } from './action-status.tsx';

function describe(entry: RecentEvent): string {
  const { event } = entry;
  const item = entry.itemName ?? event.itemId;
  if (entry.undoOf !== null) return t('scans.undoOf', { item });
  const amount =
    event.containersDelta !== 0
      ? t('scans.bottles', { count: Math.abs(event.containersDelta) })
      : formatVolume(Math.abs(event.deltaMl));
  return t(`kind.${event.kind}`, { item, amount });
}

/** The latest scans and display entries, newest first, each with an undo while it stands. */
export function RecentScans() {
  const [message, setMessage] = useState<ActionMessage>(null);
  const [busy, setBusy] = useState<number | null>(null);

  async function undo(seq: number) {
    if (!paired.value) return setMessage({ text: t('pair.needed'), error: true });
    if (!validInitials(initials.value)) return setMessage({ text: t('staff.initialsNeeded'), error: true });
    setBusy(seq);
    try {
      const { event } = await api.undo({ seq, staff: initials.value });
      const itemName = recent.value.find((entry) => entry.event.seq === seq)?.itemName ?? null;
      addRecent({ event, itemName, undone: false, undoOf: seq });
      setMessage({ text: t('scans.undone'), error: false });
    } catch (error) {
      setMessage({ text: failureText(error), error: true });
    } finally {
      setBusy(null);
    }
  }

  return (
    <section class="panel" aria-labelledby="scans-title">
      <h2 id="scans-title">{t('scans.title')}</h2>
      <InitialsField id="scans-initials" />
      <ActionStatus message={message} />
      {recent.value.length === 0 ? (
        <p class="empty">{t('scans.none')}</p>
      ) : (
        <ol class="scans">
          {recent.value.map((entry) => (
            <li key={entry.event.seq} class={entry.undone ? 'undone' : ''} data-seq={entry.event.seq}>
              <div class="what">
                <div>{describe(entry)}</div>
                <div class="when">
                  {formatDate(entry.event.observedAt, { timeStyle: 'short' })} ·{' '}
                  {t(`source.${entry.event.source}`)}
                  {entry.undone && ` · ${t('scans.wasUndone')}`}
                </div>
              </div>
              {!entry.undone && entry.undoOf === null && (
                <button
                  type="button"
                  class="danger"
                  disabled={busy !== null}
                  onClick={() => void undo(entry.event.seq)}
                  aria-label={t('scans.undoLabel', { what: describe(entry) })}
                >
                  {t('scans.undo')}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
