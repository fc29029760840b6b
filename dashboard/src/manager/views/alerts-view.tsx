import { formatDateTime, t } from '../../shared/i18n.ts';
import { hub, ok } from '../api.ts';
import { usePoll } from '../poll.ts';
import { barId, can } from '../state.ts';

/** Open alerts of the chosen bar (managers) and the user's in-app notifications (everyone). */
export function AlertsView() {
  const alerts = usePoll(
    async () => (can('alerts:read') ? ok(await hub.alerts.$get({ query: {} })) : null),
    [],
  );
  const notes = usePoll(async () => ok(await hub.notifications.$get({ query: {} })), []);
  const open = (alerts.data?.alerts ?? []).filter(
    (alert) => alert.status !== 'resolved' && (alert.locationId === null || alert.locationId === barId.value),
  );
  return (
    <div class="grid">
      {alerts.data && (
        <section class="card wide" aria-labelledby="alerts-h">
          <h2 id="alerts-h">{t('alerts.open', { count: open.length })}</h2>
          <ul class="plain">
            {open.map((alert) => (
              <li key={alert.id} class={`alert severity-${alert.severity}`}>
                <strong>{alert.title}</strong> <span class="badge">{t(`severity.${alert.severity}`)}</span>
                <p>{alert.body}</p>
                <span class="muted">{formatDateTime(alert.lastSeenAt)}</span>{' '}
                {alert.status === 'open' && can('alerts:run') && (
                  <button
                    type="button"
                    onClick={async () => {
                      await ok(await hub.alerts[':id'].acknowledge.$post({ param: { id: alert.id } }));
                      alerts.reload();
                    }}
                  >
                    {t('alerts.acknowledge')}
                  </button>
                )}
                {alert.status === 'acknowledged' && <span class="muted">{t('alerts.acknowledged')}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section class="card wide" aria-labelledby="notes-h">
        <h2 id="notes-h">{t('alerts.notifications', { count: notes.data?.unread ?? 0 })}</h2>
        <ul class="plain">
          {(notes.data?.notifications ?? []).slice(0, 30).map((note) => (
            <li key={note.id} class={note.read ? 'muted' : undefined}>
              <strong>{note.title}</strong> — {note.body}{' '}
              <span class="muted">{formatDateTime(note.createdAt)}</span>{' '}
              {!note.read && (
                <button
                  type="button"
                  onClick={async () => {
                    await hub.notifications[':id'].read.$post({ param: { id: note.id } });
                    notes.reload();
                  }}
                >
                  {t('alerts.markRead')}
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
