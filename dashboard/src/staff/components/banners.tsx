import { t } from '../../shared/i18n.ts';
import { connected, hub, loaded, offlineDevices } from '../state.ts';

/** What is wrong right now, in words, at the top of every screen (announced to screen readers). */
export function Banners() {
  const lines: Array<{ key: string; text: string; bad: boolean }> = [];
  if (!connected.value && loaded.value)
    lines.push({ key: 'gateway', text: t('banner.gatewayUnreachable'), bad: true });
  const link = hub.value;
  if (link && !link.claimed) lines.push({ key: 'claim', text: t('banner.notClaimed'), bad: false });
  else if (link && !link.reachable)
    lines.push({
      key: 'hub',
      text: t('banner.hubUnreachable', { count: link.pending }),
      bad: false,
    });
  const offline = offlineDevices.value;
  if (offline.length > 0)
    lines.push({
      key: 'devices',
      text: t('banner.devicesOffline', { count: offline.length, names: offline.map((d) => d.id).join(', ') }),
      bad: true,
    });
  return (
    <div class="banners" role="status" aria-live="polite">
      {lines.map((line) => (
        <p key={line.key} class={line.bad ? 'banner bad' : 'banner'} data-banner={line.key}>
          {line.text}
        </p>
      ))}
    </div>
  );
}
