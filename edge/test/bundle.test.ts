/**
 * The bundle a bar runs (`npm run build -w @pourcast/edge` → edge/dist/main.mjs) must start: it once failed
 * at start with `Dynamic require of "fs"` (a CommonJS package bundled into the ESM output), and once ran
 * firmware-config's CLI instead of the gateway (its run-when-main guard matched the bundle's URL). Builds,
 * starts it on free ports, asks its health endpoint, stops it with SIGTERM.
 */
import { spawn, execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { gatewayHealthSchema } from '@pourcast/protocol';
import { afterAll, expect, it } from 'vitest';
import { tempDir } from './support/fixtures.ts';

const edgeRoot = fileURLToPath(new URL('..', import.meta.url));
const dir = tempDir();
afterAll(() => dir.remove());

it('builds, starts from edge/dist/main.mjs, answers health and stops on SIGTERM', async () => {
  await promisify(execFile)(process.execPath, [join(edgeRoot, 'build.mjs')], { cwd: edgeRoot });

  const file = join(dir.path, 'gateway.json');
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      gateway: {
        dataDir: join(dir.path, 'data'),
        mqtt: { host: '127.0.0.1', port: 0 },
        http: { host: '127.0.0.1', port: 0 },
        hub: { url: 'http://127.0.0.1:9' },
      },
    }),
  );
  const child = spawn(process.execPath, [join(edgeRoot, 'dist/main.mjs'), '--config', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const httpPort = new Promise<number>((resolve) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      for (const line of chunk.toString().split('\n')) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as { msg: string; port?: number };
        if (entry.msg === 'http listening' && entry.port) resolve(entry.port);
      }
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const port = await Promise.race([
    httpPort,
    exited.then((code) => {
      throw new Error(`the bundle exited with ${code} before listening:\n${stderr}`);
    }),
  ]);

  const response = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
  expect(response.status).toBe(200);
  const health = gatewayHealthSchema.parse(await response.json());
  expect(health.gatewayId).toBeNull(); // not claimed: the hub address leads nowhere

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(stderr).not.toMatch(/pourcast-config|Dynamic require/);
});
