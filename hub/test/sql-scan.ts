/**
 * Finds SQL built from values in hub source: `sql.raw(` anywhere, and `.prepare(` / `.exec(` whose SQL text
 * could carry a value (see `safeSql`). D1 prepared statements whose text is written in the file and whose
 * values go through `.bind(...)` are parameterised and pass; so do drizzle's query builder and `sql`
 * templates, which bind every interpolated value.
 */
export interface SqlFinding {
  file: string;
  line: number;
  reason: string;
  text: string;
}

/** The text of the call's first argument: from after `(` to the matching `)` or top-level comma. */
function firstArgument(source: string, open: number): string {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < source.length; i++) {
    const ch = source[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return source.slice(open + 1, i);
    } else if (ch === ',' && depth === 1) return source.slice(open + 1, i);
  }
  return source.slice(open + 1);
}

/** The `${...}` expressions of a template literal's text (nested braces and templates included). */
function interpolations(template: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < template.length; i++) {
    if (template[i] === '\\') {
      i++;
      continue;
    }
    if (template[i] !== '$' || template[i + 1] !== '{') continue;
    let depth = 0;
    for (let j = i + 1; j < template.length; j++) {
      if (template[j] === '{') depth++;
      else if (template[j] === '}' && --depth === 0) {
        found.push(template.slice(i + 2, j));
        i = j;
        break;
      }
    }
  }
  return found;
}

/** The initializer of `const name = ...;` in the same file. */
function definition(source: string, name: string): string | undefined {
  const match = new RegExp(`\\bconst\\s+${name}\\s*=\\s*`).exec(source);
  if (!match) return undefined;
  const from = match.index + match[0].length;
  const end = source.indexOf(';\n', from);
  return source.slice(from, end < 0 ? undefined : end);
}

const CONSTANT = /^[A-Z][A-Z0-9_]*$/;
/** `ids.map(() => '?').join(',')`: one placeholder per value, the values bound separately. */
const PLACEHOLDERS =
  /^[\w.]+\.map\((?:\(\)\s*=>\s*'\?'|\(_,\s*(\w+)\)\s*=>\s*`\?\$\{\1\s*\+\s*\d+\}`)\)\.join\([^)]*\)$/;
/** `a !== b`: a boolean, which can only print as true or false. */
const COMPARISON = /^[^`'"?]+(?:===|!==)\s*(?:'[^']*'|\w+)$/;
/** `OPEN_STATUSES.map((s) => `'${s}'`).join(', ')`: a constant list of literals, quoted. */
const QUOTED_CONSTANTS = /^[A-Z][A-Z0-9_]*\.map\(\((\w+)\)\s*=>\s*`'\$\{\1\}'`\)\.join\([^)]*\)$/;

/**
 * Whether an expression can only ever produce SQL text written in this file: literals, templates whose
 * parts are safe, either branch of a ternary, module constants (UPPER_CASE, also called or indexed),
 * placeholder lists, and local `const`s initialised with such expressions. Anything else could carry a value.
 */
export function safeSql(expr: string, source: string, depth = 0): boolean {
  const e = expr
    .trim()
    .replace(/^\(([\s\S]*)\)$/, '$1')
    .trim();
  if (depth > 4) return false;
  if (/^'(?:[^'\\\n]|\\.)*'$/.test(e) || /^"(?:[^"\\\n]|\\.)*"$/.test(e)) return true;
  if (/^`[\s\S]*`$/.test(e))
    return interpolations(e.slice(1, -1)).every((part) => safeSql(part, source, depth + 1));
  const ternary = /^[^?`'"]+\?([\s\S]+):([\s\S]+)$/.exec(e);
  if (ternary && safeSql(ternary[1]!, source, depth + 1) && safeSql(ternary[2]!, source, depth + 1))
    return true;
  if (CONSTANT.test(e) || PLACEHOLDERS.test(e) || QUOTED_CONSTANTS.test(e) || COMPARISON.test(e)) return true;
  if (/^[A-Z][A-Z0-9_]*\[\w+\]$/.test(e)) return true;
  const call = /^([A-Z][A-Z0-9_]*)\(([\w\s,]*)\)$/.exec(e);
  if (call) return call[2]!.split(',').every((arg) => !arg.trim() || safeSql(arg, source, depth + 1));
  if (/^[a-z]\w*$/.test(e)) {
    const init = definition(source, e);
    return init !== undefined && safeSql(init, source, depth + 1);
  }
  return false;
}

export function scanSql(file: string, source: string): SqlFinding[] {
  const findings: SqlFinding[] = [];
  const lineOf = (index: number) => source.slice(0, index).split('\n').length;
  for (const match of source.matchAll(/\bsql\.raw\s*\(/g)) {
    findings.push({
      file,
      line: lineOf(match.index),
      reason: 'sql.raw( puts text into SQL unescaped',
      text: match[0],
    });
  }
  for (const match of source.matchAll(/\.(prepare|exec)\s*\(/g)) {
    const open = match.index + match[0].length - 1;
    const argument = firstArgument(source, open);
    // `.exec(` is also RegExp#exec: only flag it on something that reads like SQL.
    if (match[1] === 'exec' && !/\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA)\b/i.test(argument))
      continue;
    if (!safeSql(argument, source)) {
      findings.push({
        file,
        line: lineOf(match.index),
        reason: `.${match[1]}( whose SQL text could carry a value (not built only from literals, constants and placeholders)`,
        text: argument.trim().slice(0, 120),
      });
    }
  }
  return findings;
}
