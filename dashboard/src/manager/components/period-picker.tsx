import { t } from '../../shared/i18n.ts';
import { lastDays, today } from '../periods.ts';

/** The periods a report screen offers, each as the ISO instants the hub's period queries take. */
export const PERIODS = { today: () => today(), week: () => lastDays(7), month: () => lastDays(28) } as const;
export type Period = keyof typeof PERIODS;

/** Today / 7 days / 28 days as one group of toggle buttons. */
export function PeriodPicker(props: { period: Period; onChange: (period: Period) => void }) {
  return (
    <div class="segmented" role="group" aria-label={t('variance.period')}>
      {(Object.keys(PERIODS) as Period[]).map((key) => (
        <button
          key={key}
          type="button"
          aria-pressed={props.period === key}
          onClick={() => props.onChange(key)}
        >
          {t(`period.${key}`)}
        </button>
      ))}
    </div>
  );
}
