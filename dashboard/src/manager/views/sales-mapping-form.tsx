import { useState } from 'preact/hooks';
import { t } from '../../shared/i18n.ts';
import { ApiError, hub, ok } from '../api.ts';

const REQUIRED = ['soldAt', 'itemId', 'quantity'] as const;
const OPTIONAL = ['itemName', 'amount', 'checkId', 'lineId', 'kind', 'modifiers'] as const;
type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];
const DELIMITERS = [',', ';', '\t'] as const;

/** Saves a column mapping once per POS export format: which header cell holds each field. */
export function MappingForm(props: { onSaved: (id: string) => void }) {
  const [name, setName] = useState('');
  const [columns, setColumns] = useState<Partial<Record<Column, string>>>({});
  const [delimiter, setDelimiter] = useState<(typeof DELIMITERS)[number]>(',');
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const save = async (event: Event) => {
    event.preventDefault();
    const filled = Object.fromEntries(
      Object.entries(columns)
        .map(([key, value]) => [key, value?.trim()])
        .filter(([, value]) => value),
    ) as Record<(typeof REQUIRED)[number], string> & Partial<Record<Column, string>>;
    try {
      const saved = await ok(
        await hub.pos['csv-mappings'].$post({ json: { name: name.trim(), columns: filled, delimiter } }),
      );
      setMessage({ text: t('salesImport.mappingSaved', { name: saved.name }), error: false });
      props.onSaved(saved.id);
    } catch (error) {
      const details = error instanceof ApiError ? error.details.join(' · ') : '';
      setMessage({ text: details || t('error.action'), error: true });
    }
  };

  const field = (column: Column, required: boolean) => (
    <label key={column}>
      {t(`salesImport.column.${column}`)}
      <input
        value={columns[column] ?? ''}
        required={required}
        onInput={(e) => setColumns({ ...columns, [column]: (e.target as HTMLInputElement).value })}
      />
    </label>
  );
  return (
    <details class="card">
      <summary>{t('salesImport.newMapping')}</summary>
      <form class="form-grid" onSubmit={save} data-testid="mapping-form">
        <label>
          {t('salesImport.mappingName')}
          <input value={name} required onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        {REQUIRED.map((column) => field(column, true))}
        {OPTIONAL.map((column) => field(column, false))}
        <label>
          {t('salesImport.delimiter')}
          <select
            value={delimiter}
            onChange={(e) =>
              setDelimiter((e.target as HTMLSelectElement).value as (typeof DELIMITERS)[number])
            }
          >
            {DELIMITERS.map((d) => (
              <option key={d} value={d}>
                {t(`salesImport.delimiter.${d === '\t' ? 'tab' : d === ',' ? 'comma' : 'semicolon'}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('salesImport.saveMapping')}</button>
        {message && (
          <p class={message.error ? 'error' : 'notice'} role={message.error ? 'alert' : 'status'}>
            {message.text}
          </p>
        )}
      </form>
    </details>
  );
}
