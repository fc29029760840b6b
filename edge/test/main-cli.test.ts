import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { tempDir } from './support/fixtures.ts';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const dir = tempDir();
afterAll(() => dir.remove());

function runMain(args: string[], onLine?: (line: string, child: ReturnType<typeof spawn>) => void) {
  const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const line of chunk.toString().split('\n')) if (line) onLine?.(line, child);
  });
  return new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr })),
  );
}

it('exits 2 with path: message lines for an invalid config', async () => {
  const file = join(dir.path, 'bad.json');
  writeFileSync(file, JSON.stringify({ version: 1, gateway: { mqtt: { port: -1 } } }));
  const { code, stderr } = await runMain(['--config', file]);
  expect(code).toBe(2);
  expect(stderr).toMatch(/gateway\.mqtt\.port: /);
});

it('starts, logs one line per listening port, and closes cleanly on SIGTERM', async () => {
  const file = join(dir.path, 'ok.json');
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      gateway: {
        dataDir: join(dir.path, 'data'),
        mqtt: { port: 0 },
        http: { port: 0 },
        hub: { url: 'http://127.0.0.1:9' },
      },
    }),
  );
  const listening: string[] = [];
  const { code, stderr } = await runMain(['--config', file], (line, child) => {
    const entry = JSON.parse(line) as { msg: string; port?: number };
    if (entry.msg.endsWith('listening')) listening.push(entry.msg);
    if (listening.length === 2 && entry.msg === 'http listening') child.kill('SIGTERM');
  });
  expect(listening).toEqual(['mqtt listening', 'http listening']);
  expect(code).toBe(0);
  expect(stderr).toMatch(/"msg":"stopping"/);
});
