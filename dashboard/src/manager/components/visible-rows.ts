/** What a table shows: rows kept by the filter and the search, sorted by one column (nulls last). */
export interface RowView<Row> {
  query: string;
  searchText?: ((row: Row) => string) | undefined;
  keep?: ((row: Row) => boolean) | undefined;
  value: (row: Row) => string | number | null;
  descending: boolean;
}

export function visibleRows<Row>(rows: readonly Row[], view: RowView<Row>): Row[] {
  const needle = view.query.trim().toLocaleLowerCase();
  const direction = view.descending ? -1 : 1;
  return rows
    .filter(
      (row) =>
        (!view.keep || view.keep(row)) &&
        (!needle || (view.searchText?.(row) ?? '').toLocaleLowerCase().includes(needle)),
    )
    .map((row) => ({ row, value: view.value(row) }))
    .sort((a, b) => {
      if (a.value === b.value) return 0;
      if (a.value === null) return 1;
      if (b.value === null) return -1;
      if (typeof a.value === 'number' && typeof b.value === 'number') return (a.value - b.value) * direction;
      return String(a.value).localeCompare(String(b.value)) * direction;
    })
    .map((entry) => entry.row);
}
