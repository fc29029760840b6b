import { useState } from 'preact/hooks';
import { formatDate, formatMoney, formatNumber, formatPercent, t } from '../../shared/i18n.ts';
import { hub, ok } from '../api.ts';
import { reportAmountText } from '../counted-items.ts';
import { saveDownload } from '../download.ts';
import { lastDays } from '../periods.ts';
import { usePoll } from '../poll.ts';
import { bars, barId, currency } from '../state.ts';

const KINDS = ['valuation', 'variance', 'usage', 'waste', 'orders'] as const;
type Kind = (typeof KINDS)[number];
const FORMATS = ['csv', 'xlsx', 'pdf'] as const;
/** A period ends at midnight after its last day: show that day. */
const lastDay = (end: string) => new Date(Date.parse(end) - 1);

/** Reports built at the hub (hub/src/reports): filter by bar and period, compare, export CSV/XLSX/PDF. */
export function ReportsView() {
  const [kind, setKind] = useState<Kind>('valuation');
  const [scope, setScope] = useState<string>(barId.value ?? 'all');
  const [days, setDays] = useState(7);
  const [exporting, setExporting] = useState<string | null>(null);
  const period = lastDays(days);
  const query = {
    ...(scope === 'all' ? {} : { locationId: scope }),
    from: period.from.slice(0, 10),
    to: period.to.slice(0, 10),
  };
  const report = usePoll(
    async () => ok(await hub.reports[':kind'].$get({ param: { kind }, query })),
    [kind, scope, days],
    30_000,
  );

  const download = async (format: (typeof FORMATS)[number]) => {
    setExporting(format);
    try {
      const response = await hub.reports[':kind'].export.$get({
        param: { kind },
        query: { ...query, format },
      });
      await saveDownload(response, `${kind}.${format}`);
    } finally {
      setExporting(null);
    }
  };

  const data = report.data;
  // Each row with amounts says their unit (ml, or unit for a countable) and each amount total its own: the
  // amounts read "1.5 L" or "44 units" from that, so the unit column itself is not shown.
  const columns = data?.columns.filter((c) => c.type !== 'unit') ?? [];
  /** A cell or total; an amount is shown in `unit`, the row's or the total's. */
  const show = (value: string | number | null, type: string, unit?: string | number | null) => {
    if (value === null) return '—';
    if (typeof value === 'string') return type === 'date' ? formatDate(value) : value;
    if (type === 'money') return formatMoney(value, data?.currency ?? currency.value);
    if (type === 'amount') return reportAmountText(value, unit === 'unit' ? 'unit' : 'ml');
    return formatNumber(value, { maximumFractionDigits: 2 });
  };
  return (
    <section aria-labelledby="rep-h">
      <h2 id="rep-h">{t('nav.reports')}</h2>
      <form class="toolbar" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('reports.kind')}
          <select value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as Kind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`reports.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('reports.bar')}
          <select value={scope} onChange={(e) => setScope((e.target as HTMLSelectElement).value)}>
            <option value="all">{t('reports.allBars')}</option>
            {bars.value.map((bar) => (
              <option key={bar.id} value={bar.id}>
                {bar.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('reports.period')}
          <select value={days} onChange={(e) => setDays(Number((e.target as HTMLSelectElement).value))}>
            {[1, 7, 28, 90].map((d) => (
              <option key={d} value={d}>
                {t('reports.lastDays', { count: d })}
              </option>
            ))}
          </select>
        </label>
        <span class="export" role="group" aria-label={t('reports.export')}>
          {FORMATS.map((format) => (
            <button
              key={format}
              type="button"
              disabled={exporting !== null}
              onClick={() => download(format)}
              data-testid={`export-${format}`}
            >
              {format.toUpperCase()}
            </button>
          ))}
        </span>
      </form>
      {report.error && (
        <p class="error" role="alert">
          {t('error.load')}
        </p>
      )}
      {data && (
        <>
          <p class="muted">
            {t('reports.comparing', {
              from: formatDate(data.from),
              to: formatDate(lastDay(data.to)),
              previousFrom: formatDate(data.previous.from),
              previousTo: formatDate(lastDay(data.previous.to)),
            })}
          </p>
          <table data-testid="report-table">
            <caption class="visually-hidden">{t(`reports.${kind}`)}</caption>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th
                    key={c.key}
                    scope="col"
                    class={c.type === 'text' || c.type === 'date' ? undefined : 'num'}
                  >
                    {t(`column.${c.key}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row, i) => (
                <tr key={i}>
                  {columns.map((c) => (
                    <td key={c.key} class={c.type === 'text' || c.type === 'date' ? undefined : 'num'}>
                      {show(row[c.key] ?? null, c.type, row.unit)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <table class="totals" data-testid="report-totals">
            <caption>{t('reports.totals')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reports.figure')}</th>
                <th scope="col" class="num">
                  {t('reports.thisPeriod')}
                </th>
                <th scope="col" class="num">
                  {t('reports.previousPeriod')}
                </th>
                <th scope="col" class="num">
                  {t('reports.change')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.totals.map((total) => (
                <tr key={`${total.key}-${total.unit ?? ''}`}>
                  <th scope="row">{t(`column.${total.key}`)}</th>
                  <td class="num">{show(total.value, total.type, total.unit)}</td>
                  <td class="num">{show(total.previous, total.type, total.unit)}</td>
                  <td class="num">
                    {total.previous
                      ? formatPercent((total.value - total.previous) / Math.abs(total.previous))
                      : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
