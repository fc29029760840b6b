import { useEffect, useState } from 'preact/hooks';
import type { WeighReading } from '@pourcast/protocol';
import { formatNumber, formatPercent, formatVolume, t } from '../../shared/i18n.ts';
import { api, ApiError } from '../api.ts';
import { devices, items, tiles } from '../state.ts';

const POLL_MS = 500;

/** The scale platforms this gateway knows: from the tiles, plus platform 0 of any scale without one. */
function platforms(): Array<{ deviceId: string; platform: number }> {
  const seen = tiles.value.map((tile) => ({
    deviceId: tile.deviceId,
    platform: Number(tile.slot.replace(/^platform-/, '')),
  }));
  for (const device of devices.value)
    if (device.kind === 'scale' && !seen.some((p) => p.deviceId === device.id))
      seen.push({ deviceId: device.id, platform: 0 });
  return seen;
}

/** Weigh this bottle: pick the item, put it on a scale, read its level. */
export function WeighFlow() {
  const [itemId, setItemId] = useState('');
  const [target, setTarget] = useState('');
  const [reading, setReading] = useState<WeighReading | null>(null);
  const [error, setError] = useState<string | null>(null);
  const weighable = items.value.filter((item) => item.weighable);
  const item = weighable.find((i) => i.id === itemId);

  useEffect(() => {
    if (!item || !target) return;
    const [deviceId, platform] = target.split('#');
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await api.weigh(deviceId!, Number(platform), item.id);
        if (!stopped) {
          setReading(next);
          setError(null);
        }
      } catch (e) {
        if (!stopped) setError(e instanceof ApiError ? e.message : t('error.network'));
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [item?.id, target]);

  const step = !item ? 1 : !target ? 2 : 3;
  return (
    <section class="panel" aria-labelledby="weigh-title">
      <h2 id="weigh-title">{t('weigh.title')}</h2>
      <p class="steps">{t('weigh.step', { step, of: 3 })}</p>
      <div class="card" style={{ display: 'grid', gap: '16px', maxWidth: '640px' }}>
        <label for="weigh-item">
          {t('weigh.pickItem')}
          <select
            id="weigh-item"
            value={itemId}
            onChange={(e) => {
              setItemId(e.currentTarget.value);
              setReading(null);
            }}
          >
            <option value="">{t('waste.chooseItem')}</option>
            {weighable.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
        </label>
        {item && (
          <label for="weigh-scale">
            {t('weigh.pickScale')}
            <select
              id="weigh-scale"
              value={target}
              onChange={(e) => {
                setTarget(e.currentTarget.value);
                setReading(null);
              }}
            >
              <option value="">{t('weigh.chooseScale')}</option>
              {platforms().map((p) => (
                <option key={`${p.deviceId}#${p.platform}`} value={`${p.deviceId}#${p.platform}`}>
                  {t('tile.where', { device: p.deviceId, platform: String(p.platform) })}
                </option>
              ))}
            </select>
          </label>
        )}
        {item && target && (
          <div aria-live="polite" data-weigh-result>
            <p>{t('weigh.putBottle', { item: item.name })}</p>
            {reading?.grams == null ? (
              <p class="empty">{t('weigh.waiting')}</p>
            ) : (
              <>
                <div class="gauge">{reading.levelMl === null ? '–' : formatVolume(reading.levelMl)}</div>
                <p>
                  {formatNumber(reading.grams)} g
                  {reading.fill !== null && ` · ${formatPercent(reading.fill, 0)}`} ·{' '}
                  <span class={reading.stable ? 'status ok' : 'status'}>
                    {reading.stable ? t('weigh.stable') : t('weigh.settling')}
                  </span>
                </p>
              </>
            )}
            {error && <p class="status error">{error}</p>}
          </div>
        )}
      </div>
    </section>
  );
}
