import { t } from '../../shared/i18n.ts';
import { ApiError } from '../api.ts';
import { paired, view } from '../state.ts';

/** What a staff action last said: its outcome, or why it failed. */
export type ActionMessage = { text: string; error: boolean } | null;

/** A failed call as the screen says it: the gateway's own reason, or that the network failed. */
export const failureText = (error: unknown) =>
  error instanceof ApiError ? error.message : t('error.network');

/** The status line under a panel's actions; an unpaired screen is offered the way to pair. */
export function ActionStatus({ message }: { message: ActionMessage }) {
  if (!message) return null;
  return (
    <p class={message.error ? 'status error' : 'status ok'} role="status">
      {message.text}
      {!paired.value && (
        <button type="button" onClick={() => (view.value = 'settings')}>
          {t('pair.go')}
        </button>
      )}
    </p>
  );
}
