/**
 * Finds SQL in hub source that does not go through drizzle's parameterised queries. drizzle's query builder
 * and its `sql` template bind every interpolated value as a parameter (an interpolated string is a value,
 * never SQL text; only another `sql` fragment adds text), so what is left to catch is the ways around them:
 * - `sql.raw(`: text put into SQL unescaped;
 * - D1's own statement API, `.prepare(`: its text is whatever string the code built. The one exception is
 *   `runBatch` in hub/src/db/client.ts, which prepares the text drizzle wrote for a `sql` template (drizzle's
 *   own D1 batch cannot take parameterised templates, drizzle-orm#2277);
 * - `.exec(` of SQL text;
 * - a string or template literal given to `db.run/all/get/values(`, which drizzle runs as raw SQL.
 */
export interface SqlFinding {
  file: string;
  line: number;
  reason: string;
  text: string;
}

/** The one place that may call D1's `.prepare(`: on text drizzle built from a `sql` template. */
export const PREPARE_ALLOWED_IN = 'db/client.ts';

const SQL_WORDS = /\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|WITH)\b/i;
/** The first word of an SQL statement. */
const STATEMENT = /^(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|PRAGMA|WITH)$/i;

export function scanSql(file: string, source: string): SqlFinding[] {
  const findings: SqlFinding[] = [];
  const lineOf = (index: number) => source.slice(0, index).split('\n').length;
  const add = (index: number, reason: string) =>
    findings.push({ file, line: lineOf(index), reason, text: source.slice(index).split('\n')[0]!.trim() });
  for (const match of source.matchAll(/\bsql\.raw\s*\(/g))
    add(match.index, 'sql.raw( puts text into SQL unescaped');
  if (!file.endsWith(PREPARE_ALLOWED_IN))
    for (const match of source.matchAll(/\.prepare\s*\(/g))
      add(
        match.index,
        "a D1 statement (.prepare): the hub's SQL goes through drizzle (query builder, sql template, runBatch)",
      );
  for (const match of source.matchAll(/\.exec\s*\(\s*([`'"])/g)) {
    // `.exec(` is also RegExp#exec: only a literal that reads like SQL is flagged.
    const literal = source.slice(match.index, match.index + 300);
    if (SQL_WORDS.test(literal)) add(match.index, 'SQL run with .exec(: the hub runs SQL through drizzle');
  }
  for (const match of source.matchAll(/\.(run|all|get|values)\s*(?:<[^>()]*>)?\(\s*[`'"]\s*(\w+)\s/g))
    if (STATEMENT.test(match[2]!))
      add(
        match.index,
        `SQL text given to .${match[1]}(: drizzle runs a string as raw SQL; use the sql template`,
      );
  return findings;
}
