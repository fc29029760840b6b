import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { t } from '../../shared/i18n.ts';
import { visibleRows } from './visible-rows.ts';

export interface Column<Row> {
  key: string;
  label: string;
  /** What the cell shows; the raw value when absent. */
  render?: (row: Row) => ComponentChildren;
  /** What sorting compares (numbers numerically, text by the locale). */
  value: (row: Row) => string | number | null;
  numeric?: boolean;
}

export interface DataTableProps<Row> {
  caption: string;
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  rowKey: (row: Row) => string;
  /** The text a search box looks in; no box without it. */
  searchText?: (row: Row) => string;
  /** Named filters shown as a select; the first is "all". */
  filters?: readonly { id: string; label: string; keep: (row: Row) => boolean }[];
  initialSort?: { key: string; descending: boolean };
  rowClass?: (row: Row) => string | undefined;
  testId?: string;
}

/**
 * An accessible table: a real <table> with a caption, sortable headers as buttons announcing aria-sort,
 * a search box and a filter select. Sorting and filtering are memoised, so hundreds of rows stay instant.
 */
export function DataTable<Row>(props: DataTableProps<Row>) {
  const [query, setQuery] = useState('');
  const [filterId, setFilterId] = useState(props.filters?.[0]?.id ?? '');
  const [sort, setSort] = useState(props.initialSort ?? { key: props.columns[0]!.key, descending: false });

  const shown = useMemo(() => {
    const column = props.columns.find((c) => c.key === sort.key) ?? props.columns[0]!;
    return visibleRows(props.rows, {
      query,
      searchText: props.searchText,
      keep: props.filters?.find((f) => f.id === filterId)?.keep,
      value: column.value,
      descending: sort.descending,
    });
  }, [props.rows, props.columns, props.filters, query, filterId, sort]);

  return (
    <div class="table-block" data-testid={props.testId}>
      <div class="table-tools">
        {props.searchText && (
          <label>
            <span class="visually-hidden">{t('table.search')}</span>
            <input
              type="search"
              placeholder={t('table.search')}
              value={query}
              onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
            />
          </label>
        )}
        {props.filters && (
          <label>
            <span class="visually-hidden">{t('table.filter')}</span>
            <select value={filterId} onChange={(e) => setFilterId((e.target as HTMLSelectElement).value)}>
              {props.filters.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <span class="table-count" aria-live="polite">
          {t('table.rows', { count: shown.length })}
        </span>
      </div>
      <div class="table-scroll">
        <table>
          <caption class="visually-hidden">{props.caption}</caption>
          <thead>
            <tr>
              {props.columns.map((column) => {
                const active = column.key === sort.key;
                return (
                  <th
                    key={column.key}
                    scope="col"
                    class={column.numeric ? 'num' : undefined}
                    aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                  >
                    <button
                      type="button"
                      onClick={() =>
                        setSort({
                          key: column.key,
                          descending: active ? !sort.descending : column.numeric === true,
                        })
                      }
                    >
                      {column.label}
                      <span aria-hidden="true">{active ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={props.rowKey(row)} class={props.rowClass?.(row)}>
                {props.columns.map((column) => (
                  <td key={column.key} class={column.numeric ? 'num' : undefined}>
                    {column.render ? column.render(row) : column.value(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {shown.length === 0 && <p class="empty">{t('table.empty')}</p>}
      </div>
    </div>
  );
}
