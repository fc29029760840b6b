import { formatDateTime, formatNumber, t } from '../../shared/i18n.ts';
import { hub, ok } from '../api.ts';
import { usePoll } from '../poll.ts';
import { bars } from '../state.ts';

/** A gateway not heard from in this long is shown offline (the hub's gateway_offline alert agrees). */
const OFFLINE_AFTER_MS = 15 * 60_000;

/** Every gateway of the organization: its bar, when the hub last heard from it, its ingest cursor and gaps. */
export function GatewaysView() {
  const gateways = usePoll(async () => ok(await hub.gateways.$get()), []);
  const now = Date.now();
  return (
    <section aria-labelledby="gw-h">
      <h2 id="gw-h">{t('nav.gateways')}</h2>
      <p class="muted">{t('gateways.devicesNote')}</p>
      <table data-testid="gateways-table">
        <caption class="visually-hidden">{t('nav.gateways')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('gateways.name')}</th>
            <th scope="col">{t('gateways.bar')}</th>
            <th scope="col">{t('gateways.state')}</th>
            <th scope="col">{t('gateways.lastSeen')}</th>
            <th scope="col" class="num">
              {t('gateways.events')}
            </th>
            <th scope="col" class="num">
              {t('gateways.gaps')}
            </th>
          </tr>
        </thead>
        <tbody>
          {(gateways.data ?? []).map((gw) => {
            const seen = gw.lastSeenAt ? new Date(gw.lastSeenAt).getTime() : null;
            const state = gw.revoked
              ? 'revoked'
              : seen !== null && now - seen < OFFLINE_AFTER_MS
                ? 'online'
                : 'offline';
            return (
              <tr key={gw.id}>
                <td>{gw.name}</td>
                <td>{bars.value.find((bar) => bar.id === gw.locationId)?.name ?? '—'}</td>
                <td>
                  <span class={`badge gw-${state}`}>{t(`gateways.${state}`)}</span>
                </td>
                <td>{gw.lastSeenAt ? formatDateTime(gw.lastSeenAt) : t('gateways.never')}</td>
                <td class="num">{formatNumber(gw.ackSeq)}</td>
                <td class="num">{formatNumber(gw.gaps.length)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
