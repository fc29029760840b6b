import { formatDate, formatNumber } from '../../shared/i18n.ts';

export interface BandPoint {
  date: string;
  p10?: number;
  p50?: number;
  p90?: number;
  actual?: number;
}

const W = 640;
const H = 220;
const PAD = { left: 56, right: 12, top: 12, bottom: 28 };

/**
 * Hand-drawn SVG: the P10-P90 band as a shaded area, P50 as a line and what happened as dots. The figure
 * has a title and description, and the same numbers are in the table beside it for screen readers.
 */
export function BandChart(props: { title: string; points: readonly BandPoint[]; unit: string }) {
  const values = props.points.flatMap((p) => [p.p10, p.p50, p.p90, p.actual]).filter((v) => v !== undefined);
  if (props.points.length < 2 || values.length === 0) return null;
  const max = Math.max(...values) * 1.1 || 1;
  const x = (i: number) => PAD.left + (i / (props.points.length - 1)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  const banded = props.points
    .map((p, i) => ({ ...p, i }))
    .filter((p) => p.p10 !== undefined && p.p90 !== undefined);
  const band =
    banded.map((p) => `${x(p.i)},${y(p.p90!)}`).join(' ') +
    ' ' +
    [...banded]
      .reverse()
      .map((p) => `${x(p.i)},${y(p.p10!)}`)
      .join(' ');
  const median = banded.map((p) => `${x(p.i)},${y(p.p50 ?? 0)}`).join(' ');
  const ticks = [0, 0.5, 1].map((share) => share * max);
  const labelEvery = Math.max(1, Math.ceil(props.points.length / 6));
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="band-title band-desc">
      <title id="band-title">{props.title}</title>
      <desc id="band-desc">P10-P90, P50 ({props.unit})</desc>
      {ticks.map((v) => (
        <g key={v}>
          <line class="grid" x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
          <text class="axis" x={PAD.left - 6} y={y(v) + 4} text-anchor="end">
            {formatNumber(Math.round(v))}
          </text>
        </g>
      ))}
      {banded.length > 1 && <polygon class="band" points={band} />}
      {banded.length > 1 && <polyline class="median" points={median} />}
      {props.points.map((p, i) =>
        p.actual === undefined ? null : (
          <circle key={p.date} class="actual" cx={x(i)} cy={y(p.actual)} r={3} />
        ),
      )}
      {props.points.map((p, i) =>
        i % labelEvery === 0 ? (
          <text key={p.date} class="axis" x={x(i)} y={H - 8} text-anchor="middle">
            {formatDate(p.date, { month: 'short', day: 'numeric' })}
          </text>
        ) : null,
      )}
    </svg>
  );
}

/** Bars around a zero line, for a signed series such as weekly variance. */
export function BarChart(props: { title: string; bars: readonly { label: string; value: number }[] }) {
  if (props.bars.length === 0) return null;
  const max = Math.max(...props.bars.map((b) => Math.abs(b.value))) || 1;
  const step = (W - PAD.left - PAD.right) / props.bars.length;
  const zero = H / 2;
  const scale = (H / 2 - PAD.bottom) / max;
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.title}>
      <line class="grid" x1={PAD.left} x2={W - PAD.right} y1={zero} y2={zero} />
      {props.bars.map((bar, i) => {
        const height = Math.abs(bar.value) * scale;
        return (
          <g key={bar.label}>
            <rect
              class={bar.value > 0 ? 'bar over' : 'bar'}
              x={PAD.left + i * step + step * 0.15}
              width={step * 0.7}
              y={bar.value > 0 ? zero - height : zero}
              height={Math.max(height, 1)}
            >
              <title>{`${bar.label}: ${formatNumber(bar.value)}`}</title>
            </rect>
            <text class="axis" x={PAD.left + i * step + step / 2} y={H - 6} text-anchor="middle">
              {bar.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
