import type { StockLine } from '@pourcast/protocol';
import { t } from '../../shared/i18n.ts';
import { containerLabelOf, MAX_PAR_ML, parMlFromContainers } from '../pars.ts';

export interface ParActionsProps {
  /** The item's stock line (with its unit): a par is typed in its bottles, kegs or units. */
  line: StockLine;
  pinned: boolean;
  suggestedMl: number | null;
  busy: boolean;
  /** Pins `parMl` for the line's item at the bar; null unpins it (the catalog's par applies again). */
  pin: (parMl: number | null) => void;
}

/**
 * A row's par actions for those who may set pars: pin the suggested par in one click, pin a par typed
 * in bottles (kegs, units), or unpin back to the catalog's. Each control names its item for screen readers.
 */
export function ParActions(props: ParActionsProps) {
  const { line, suggestedMl } = props;
  const label = containerLabelOf(line);
  const item = <span class="visually-hidden"> — {line.itemName}</span>;
  const typed = (e: Event) => {
    e.preventDefault();
    const input = (e.currentTarget as HTMLFormElement).elements.namedItem('par') as HTMLInputElement;
    const parMl = parMlFromContainers(input.valueAsNumber, line.containerMl);
    if (parMl !== null) props.pin(parMl);
  };
  return (
    <div class="par-actions">
      {suggestedMl !== null && !(props.pinned && suggestedMl === line.parLevelMl) && (
        <button type="button" disabled={props.busy} onClick={() => props.pin(suggestedMl)}>
          {t('pars.pinSuggested')}
          {item}
        </button>
      )}
      {props.pinned && (
        <button type="button" disabled={props.busy} onClick={() => props.pin(null)}>
          {t('pars.unpin')}
          {item}
        </button>
      )}
      <details>
        <summary>
          {t('pars.typed')}
          {item}
        </summary>
        <form onSubmit={typed}>
          <label>
            {label === 'kegs'
              ? t('pars.typed.kegs')
              : label === 'units'
                ? t('pars.typed.units')
                : t('pars.typed.bottles')}
            {item}
            <input
              name="par"
              type="number"
              inputMode="decimal"
              min={0}
              max={Math.floor(MAX_PAR_ML / line.containerMl)}
              step="any"
              required
            />
          </label>
          <button type="submit" disabled={props.busy}>
            {t('pars.pin')}
            {item}
          </button>
        </form>
      </details>
    </div>
  );
}
