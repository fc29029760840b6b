import type { SlotTile } from '@pourcast/protocol';
import { formatPercent, formatVolume, t } from '../../shared/i18n.ts';
import { lowTiles, offlineDevices, tiles } from '../state.ts';

function Tile({ tile, offline }: { tile: SlotTile; offline: boolean }) {
  const platform = tile.slot.replace(/^platform-/, '');
  const name = tile.itemName ?? t('tile.noItem');
  return (
    <li class={tile.low ? 'tile low' : 'tile'} data-slot={`${tile.deviceId}/${tile.slot}`}>
      <div class="name">{name}</div>
      <div class="level" aria-label={t('tile.levelLabel', { name })}>
        {tile.levelMl === null ? '–' : formatVolume(tile.levelMl)}
      </div>
      {tile.parMl !== null && tile.onHandMl !== null && (
        <div class="par">
          {t('tile.onHandPar', { onHand: formatVolume(tile.onHandMl), par: formatVolume(tile.parMl) })}
        </div>
      )}
      {tile.fill !== null && (
        <div
          class="meter"
          role="meter"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(tile.fill * 100)}
          aria-label={t('tile.fill')}
        >
          <span style={{ width: `${Math.round(tile.fill * 100)}%` }} />
        </div>
      )}
      <div class="row">
        {tile.low ? (
          <span class="badge low">{t('tile.low')}</span>
        ) : tile.fill !== null ? (
          <span class="badge ok">{t('tile.ok')}</span>
        ) : null}
        {tile.fill !== null && <span>{formatPercent(tile.fill, 0)}</span>}
        {tile.phase === 'empty' && <span class="badge muted">{t('tile.lifted')}</span>}
        {offline && <span class="badge offline">{t('tile.deviceOffline')}</span>}
      </div>
      <div class="where">{t('tile.where', { device: tile.deviceId, platform })}</div>
    </li>
  );
}

/** The glanceable grid: low bottles first, then the rest in shelf order. */
export function Tiles() {
  const all = tiles.value;
  const sorted = [...all.filter((tile) => tile.low), ...all.filter((tile) => !tile.low)];
  const offline = new Set(offlineDevices.value.map((device) => device.id));
  return (
    <section aria-labelledby="tiles-title">
      <h2 id="tiles-title">
        {t('tiles.title')} · {t('tiles.lowCount', { count: lowTiles.value.length })}
      </h2>
      {sorted.length === 0 ? (
        <p class="empty">{t('tiles.none')}</p>
      ) : (
        <ul class="tiles" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {sorted.map((tile) => (
            <Tile key={`${tile.deviceId}/${tile.slot}`} tile={tile} offline={offline.has(tile.deviceId)} />
          ))}
        </ul>
      )}
    </section>
  );
}
