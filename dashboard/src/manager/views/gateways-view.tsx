import type { DeviceTrouble, GatewayDevice, GatewaySummary, LastReading } from '@pourcast/protocol';
import { formatDate, formatDateTime, formatNumber, t } from '../../shared/i18n.ts';
import { hub, ok } from '../api.ts';
import { usePoll } from '../poll.ts';
import { bars } from '../state.ts';

/** A gateway not heard from in this long is shown offline (the hub's gateway_offline alert agrees). */
const OFFLINE_AFTER_MS = 15 * 60_000;

/**
 * Every gateway of the organization: its bar, when the hub last heard from it, its ingest cursor and gaps;
 * under it, the devices its latest report named (state, last status, last reading, firmware and config
 * version, calibration, scale drift, signs of trouble).
 */
export function GatewaysView() {
  const gateways = usePoll(async () => ok(await hub.gateways.$get()), []);
  const devices = usePoll(async () => ok(await hub.gateways.devices.$get()), []);
  const now = Date.now();
  const list = gateways.data ?? [];
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
          {list.map((gw) => {
            const state = gatewayState(gw, now);
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
      {list.map((gw) => (
        <GatewayDevices
          key={gw.id}
          gateway={gw}
          devices={(devices.data ?? []).filter((device) => device.gatewayId === gw.id)}
          loaded={devices.data !== undefined}
        />
      ))}
    </section>
  );
}

function gatewayState(gw: GatewaySummary, now: number): 'online' | 'offline' | 'revoked' {
  if (gw.revoked) return 'revoked';
  const seen = gw.lastSeenAt ? new Date(gw.lastSeenAt).getTime() : null;
  return seen !== null && now - seen < OFFLINE_AFTER_MS ? 'online' : 'offline';
}

function GatewayDevices(props: { gateway: GatewaySummary; devices: GatewayDevice[]; loaded: boolean }) {
  const { gateway, devices, loaded } = props;
  const headingId = `gw-dev-${gateway.id}`;
  return (
    <section class="gateway-devices" aria-labelledby={headingId} data-testid="gateway-devices">
      <h3 id={headingId}>{t('gateways.devicesOf', { name: gateway.name })}</h3>
      {devices[0] && (
        <p class="muted">{t('gateways.reportedAt', { when: formatDateTime(devices[0].reportedAt) })}</p>
      )}
      {!loaded ? null : devices.length === 0 ? (
        <p class="muted">{t('gateways.noDevices')}</p>
      ) : (
        <div class="table-scroll">
          <table data-testid="device-table">
            <caption class="visually-hidden">{t('gateways.devicesOf', { name: gateway.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('gateways.device')}</th>
                <th scope="col">{t('gateways.kind')}</th>
                <th scope="col">{t('gateways.state')}</th>
                <th scope="col">{t('gateways.lastStatus')}</th>
                <th scope="col">{t('gateways.lastReading')}</th>
                <th scope="col">{t('gateways.versions')}</th>
                <th scope="col">{t('gateways.calibrated')}</th>
                <th scope="col">{t('gateways.drift')}</th>
                <th scope="col">{t('gateways.trouble')}</th>
              </tr>
            </thead>
            <tbody>
              {devices.map((device) => (
                <DeviceRow key={device.deviceId} device={device} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DeviceRow({ device }: { device: GatewayDevice }) {
  const drifted = device.drift.filter((platform) => platform.drifted);
  const trouble = device.trouble ?? [];
  const stateClass =
    device.state === 'online' ? 'gw-online' : device.state === 'unknown' ? 'level-unset' : 'gw-offline';
  return (
    <tr
      data-testid="device-row"
      data-device={device.deviceId}
      class={drifted.length || trouble.length ? 'row-low' : undefined}
    >
      <td>
        {device.deviceId}
        <div class="muted">{device.model}</div>
      </td>
      <td>{t(`gateways.kind.${device.kind}`)}</td>
      <td>
        <span class={`badge ${stateClass}`}>{t(`gateways.device.${device.state}`)}</span>
      </td>
      <td>{device.lastStatusAt ? formatDateTime(device.lastStatusAt) : t('gateways.never')}</td>
      <td data-testid="device-reading">
        {device.lastReading ? (
          <>
            {describeReading(device.lastReading)}
            <div class="muted">{formatDateTime(device.lastReading.at)}</div>
          </>
        ) : (
          t('gateways.noReading')
        )}
      </td>
      <td data-testid="device-versions">
        {device.firmware ?? t('gateways.firmwareUnknown')}
        <div class="muted">{describeConfig(device.config)}</div>
      </td>
      <td>
        {device.kind !== 'scale'
          ? '—'
          : device.calibratedAt
            ? formatDate(device.calibratedAt)
            : t('gateways.neverCalibrated')}
      </td>
      <td data-testid="device-drift">
        {device.kind !== 'scale' || device.drift.length === 0 ? (
          '—'
        ) : drifted.length === 0 ? (
          <span class="badge level-ok">{t('gateways.driftOk')}</span>
        ) : (
          <ul class="plain">
            {drifted.map((platform) => (
              <li key={platform.platform}>
                <span class="badge level-low">{t('gateways.recalibrate')}</span>{' '}
                {t('gateways.driftDetail', {
                  platform: String(platform.platform),
                  grams: formatNumber(platform.emptyG, { maximumFractionDigits: 1, signDisplay: 'always' }),
                  since: platform.since ? formatDateTime(platform.since) : '—',
                })}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td data-testid="device-trouble">
        {trouble.length === 0 ? (
          t('gateways.troubleNone')
        ) : (
          <ul class="plain">
            {trouble.map((signal, i) => (
              <li key={i}>
                <span class="badge level-low">{describeTrouble(signal)}</span>
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}

function describeReading(reading: LastReading): string {
  switch (reading.channel) {
    case 'weight':
      return t('gateways.reading.weight', {
        platform: String(reading.platform),
        grams: formatNumber(reading.grams, { maximumFractionDigits: 1 }),
      });
    case 'scan':
      return t(reading.known ? 'gateways.reading.scan' : 'gateways.reading.scanUnknown', {
        barcode: reading.barcode,
      });
    case 'frame':
      return reading.width !== null && reading.height !== null
        ? t('gateways.reading.frame', { width: String(reading.width), height: String(reading.height) })
        : t('gateways.reading.frameNoSize');
  }
}

function describeConfig(config: GatewayDevice['config']): string {
  if (!config) return t('gateways.config.none');
  const version = String(config.version);
  if (config.ackedVersion === config.version) return t('gateways.config.acked', { version });
  if (config.ackedVersion === null) return t('gateways.config.unacked', { version });
  return t('gateways.config.pending', { version, acked: String(config.ackedVersion) });
}

function describeTrouble(signal: DeviceTrouble): string {
  switch (signal.signal) {
    case 'noisy-load-cell':
      return t('gateways.trouble.noisy', {
        platform: String(signal.platform),
        grams: formatNumber(signal.spreadG, { maximumFractionDigits: 1 }),
      });
    case 'dark-camera':
      return t('gateways.trouble.dark', {
        luma: formatNumber(signal.meanLuma, { maximumFractionDigits: 0 }),
      });
    case 'blocked-camera':
      return t('gateways.trouble.blocked');
    case 'unknown-barcodes':
      return t('gateways.trouble.unknownBarcodes', { count: signal.count });
    case 'refused-messages':
      return t('gateways.trouble.refused', { count: signal.count, reason: signal.lastReason });
  }
}
