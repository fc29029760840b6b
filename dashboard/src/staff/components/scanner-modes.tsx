import { useState } from 'preact/hooks';
import { t } from '../../shared/i18n.ts';
import { api } from '../api.ts';
import { devices, paired, updateDevice } from '../state.ts';
import { scannerToggles } from '../scan-modes.ts';
import { initials, validInitials } from '../staff-initials.ts';
import { ActionStatus, failureText, type ActionMessage } from './action-status.tsx';

/**
 * Deliveries: a bartender at the back door puts the scanner in receive mode, scans the delivery in, and puts
 * it back to counting. The state line follows what the scanner acknowledged (live feed `device` events).
 * Who did it comes from the initials field of the scans list beside it (the same remembered initials).
 */
export function ScannerModes() {
  const [message, setMessage] = useState<ActionMessage>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const toggles = scannerToggles(devices.value);
  if (toggles.length === 0) return null;

  async function toggle(deviceId: string, mode: 'receive' | 'count') {
    if (!paired.value) return setMessage({ text: t('pair.needed'), error: true });
    if (!validInitials(initials.value)) return setMessage({ text: t('staff.initialsNeeded'), error: true });
    setBusy(deviceId);
    try {
      const { scanMode } = await api.scanMode(deviceId, { mode, staff: initials.value });
      const known = devices.value.find((device) => device.id === deviceId);
      if (known) updateDevice({ ...known, scanMode });
      setMessage(null);
    } catch (error) {
      setMessage({ text: failureText(error), error: true });
    } finally {
      setBusy(null);
    }
  }

  return (
    <section class="panel" aria-labelledby="modes-title">
      <h2 id="modes-title">{t('modes.title')}</h2>
      <p class="hint">{t('modes.hint')}</p>
      <ActionStatus message={message} />
      <ul class="scanners">
        {toggles.map((scanner) => (
          <li key={scanner.id} data-scanner={scanner.id}>
            <div class="what">
              <div>{scanner.id}</div>
              <div class="when" role="status">
                {t(scanner.status)}
                {!scanner.online && ` · ${t('modes.offline')}`}
              </div>
            </div>
            <button
              type="button"
              aria-pressed={scanner.receiving}
              disabled={busy !== null}
              aria-label={t('modes.toggleLabel', { device: scanner.id })}
              onClick={() => void toggle(scanner.id, scanner.next)}
            >
              {t(scanner.next === 'receive' ? 'modes.receive' : 'modes.done')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
