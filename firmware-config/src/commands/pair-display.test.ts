import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGateway, silentLogger, type Gateway } from '@pourcast/edge';
import { pairResponseSchema } from '@pourcast/protocol';
import { loadGatewayConfig } from '../load-gateway-config.ts';
import { runCli, writeGatewayConfigFile } from '../../test/support/cli-run.ts';

let dir: string;
let configPath: string;
let gateway: Gateway;

const cli = (...argv: string[]) => runCli(argv);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pourcast-pair-display-'));
  configPath = await writeGatewayConfigFile(dir, 'http://127.0.0.1:9');
  gateway = await startGateway(await loadGatewayConfig(configPath), {
    logger: silentLogger,
    connectHub: false,
  });
});

afterAll(async () => {
  await gateway?.close();
  await rm(dir, { recursive: true, force: true });
});

const onGateway = () => [
  '--gateway',
  `http://127.0.0.1:${gateway.httpPort}`,
  '--token-file',
  join(dir, 'data', 'admin-token'),
];

it('prints a code a staff screen pairs with, once', async () => {
  const issued = await cli('pair-display', ...onGateway());
  expect(issued).toMatchObject({ code: 0, stderr: '' });
  const code = /pairing code (\d{8}) \(valid until (\S+), once\)/.exec(issued.stdout);
  expect(code).not.toBeNull();
  expect(Date.parse(code![2]!) - Date.now()).toBeGreaterThan(9 * 60_000);
  expect(issued.stdout).toContain(`open http://127.0.0.1:${gateway.httpPort}/`);

  const pair = () =>
    fetch(`http://127.0.0.1:${gateway.httpPort}/api/v1/staff/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: code![1], name: 'back bar tablet' }),
    });
  const paired = await pair();
  expect(paired.status).toBe(201);
  expect(pairResponseSchema.parse(await paired.json()).name).toBe('back bar tablet');
  expect((await pair()).status).toBe(401);

  const json = await cli('pair-display', ...onGateway(), '--json');
  expect(json.code).toBe(0);
  expect(JSON.parse(json.stdout)).toEqual({
    code: expect.stringMatching(/^\d{8}$/),
    expiresAt: expect.any(String),
  });
});

it('exits 2 when the admin token is refused or missing, 1 when the gateway is unreachable', async () => {
  const wrongToken = join(dir, 'wrong-token');
  await writeFile(wrongToken, 'not-the-admin-token\n');
  const refused = await cli(
    'pair-display',
    '--gateway',
    `http://127.0.0.1:${gateway.httpPort}`,
    '--token-file',
    wrongToken,
  );
  expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('the gateway refused') });
  expect(await cli('pair-display', '--gateway', 'http://127.0.0.1:9')).toMatchObject({
    code: 2,
    stderr: expect.stringContaining('no admin token'),
  });
  const down = await cli('pair-display', '--gateway', 'http://127.0.0.1:9', '--token-file', wrongToken);
  expect(down).toMatchObject({ code: 1, stderr: expect.stringContaining('cannot reach the gateway') });
  // The admin token found through the gateway's config (its port is 0 there: the address comes from --gateway).
  const viaConfig = await cli(
    'pair-display',
    '--config',
    configPath,
    '--gateway',
    `http://127.0.0.1:${gateway.httpPort}`,
  );
  expect(viaConfig.code).toBe(0);
});

it('has its own --help, listed in the command overview', async () => {
  const help = await cli('pair-display', '--help');
  expect(help).toMatchObject({
    code: 0,
    stdout: expect.stringContaining('Usage: pourcast-config pair-display'),
  });
  expect(help.stdout).toMatch(/Exit codes: 0 .*1 .*2/s);
  expect((await cli('--help')).stdout).toMatch(/pair-display\s+a one-time code/);
  const dry = await cli('pair-display', ...onGateway(), '--dry-run');
  expect(dry).toMatchObject({ code: 0, stdout: expect.stringContaining('dry run: POST') });
});
