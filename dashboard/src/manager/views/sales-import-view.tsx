import { useEffect, useRef, useState } from 'preact/hooks';
import type { CsvImportResult, ImportJob } from '@pourcast/protocol';
import { formatNumber, t } from '../../shared/i18n.ts';
import { ApiError, hub, ok } from '../api.ts';
import { usePoll } from '../poll.ts';
import { readSalesFile } from '../sales-file.ts';
import { MappingForm } from './sales-mapping-form.tsx';

/** How often a running import is asked for its progress. */
const PROGRESS_MS = 1000;

type Progress = Pick<ImportJob, 'importId' | 'status' | 'processed' | 'total' | 'error'>;

/**
 * A POS sales export (CSV or XLSX) read with a saved column mapping: a small file is recorded at once,
 * a large one runs at the hub while a progress bar follows it; then the counts and each bad row by line.
 */
export function SalesImportView(props: { barId: string }) {
  const mappings = usePoll(async () => ok(await hub.pos['csv-mappings'].$get()), [], 60_000);
  const [mappingId, setMappingId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [result, setResult] = useState<CsvImportResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  const chosen = mappingId || mappings.data?.[0]?.id || '';

  const follow = async (job: ImportJob) => {
    let current = job;
    while (alive.current && current.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, PROGRESS_MS));
      current = await ok(await hub.pos.imports[':id'].$get({ param: { id: job.importId } }));
      if (alive.current) setProgress(current);
    }
    if (current.status === 'done' && current.result) setResult(current.result);
    if (current.status === 'failed') setProblem(t('salesImport.failed', { reason: current.error ?? '' }));
  };

  const start = async (event: Event) => {
    event.preventDefault();
    if (!file || !chosen) return;
    setBusy(true);
    setProblem(null);
    setResult(null);
    setProgress(null);
    try {
      const body = await readSalesFile(file);
      if (body === 'too-large') {
        setProblem(t('salesImport.tooLarge'));
        return;
      }
      const response = await hub.pos.imports.$post({
        json: { locationId: props.barId, mappingId: chosen, ...body },
      });
      if (response.status === 202) {
        const job = (await response.json()) as ImportJob;
        setProgress(job);
        await follow(job);
      } else {
        const done = (await ok(response)) as CsvImportResult;
        setProgress({ importId: done.importId, status: 'done', processed: done.lines, total: done.lines });
        setResult(done);
      }
    } catch (error) {
      setProblem(error instanceof ApiError ? error.reason : t('error.action'));
    } finally {
      if (alive.current) setBusy(false);
    }
  };

  return (
    <section aria-labelledby="imp-h">
      <h2 id="imp-h">{t('nav.sales-import')}</h2>
      <p class="muted">{t('salesImport.intro')}</p>
      {mappings.data && mappings.data.length === 0 && <p>{t('salesImport.noMappings')}</p>}
      <form class="toolbar" onSubmit={start} data-testid="sales-import-form">
        <label>
          {t('salesImport.mapping')}
          <select
            value={chosen}
            onChange={(e) => setMappingId((e.target as HTMLSelectElement).value)}
            data-testid="import-mapping"
          >
            {(mappings.data ?? []).map((mapping) => (
              <option key={mapping.id} value={mapping.id}>
                {mapping.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('salesImport.file')}
          <input
            type="file"
            accept=".csv,.tsv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
            data-testid="import-file"
          />
        </label>
        <button type="submit" class="primary" disabled={busy || !file || !chosen}>
          {t('salesImport.start')}
        </button>
      </form>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {progress && <ImportProgress progress={progress} />}
      {result && <ImportResult result={result} />}
      <MappingForm onSaved={(id) => (setMappingId(id), mappings.reload())} />
    </section>
  );
}

function ImportProgress({ progress }: { progress: Progress }) {
  const label = t('salesImport.progress', { processed: progress.processed, total: progress.total });
  return (
    <div class="import-progress" data-testid="import-progress" data-status={progress.status}>
      <progress max={Math.max(progress.total, 1)} value={progress.processed} aria-label={label} />
      <p role="status">{label}</p>
    </div>
  );
}

function ImportResult({ result }: { result: CsvImportResult }) {
  const counts = [
    ['rows', result.rows],
    ['recorded', result.recorded],
    ['duplicates', result.duplicates],
    ['needsMapping', result.needsMapping],
    ['badRows', result.errors.length],
  ] as const;
  return (
    <section aria-labelledby="imp-res-h" data-testid="import-result">
      <h3 id="imp-res-h">{t('salesImport.result')}</h3>
      <dl class="counts">
        {counts.map(([key, value]) => (
          <div key={key}>
            <dt>{t(`salesImport.${key}`)}</dt>
            <dd data-testid={`import-${key}`}>{formatNumber(value)}</dd>
          </div>
        ))}
      </dl>
      {result.needsMapping > 0 && <p class="muted">{t('salesImport.needsMappingNote')}</p>}
      {result.errors.length > 0 && (
        <div class="table-scroll">
          <table data-testid="import-errors">
            <caption>{t('salesImport.badRowsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col" class="num">
                  {t('salesImport.line')}
                </th>
                <th scope="col">{t('salesImport.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {result.errors.map((error) => (
                <tr key={`${error.line}:${error.reason}`}>
                  <td class="num">{formatNumber(error.line)}</td>
                  <td>{error.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
