import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * aedes 1.x speaks MQTT 3.1.1 only, so the MQTT 5 path (frame metadata as user properties) is tested
 * against Debian's mosquitto when it is installed (apt install mosquitto); otherwise those tests skip.
 */
export const MOSQUITTO_BIN = [process.env.MOSQUITTO_BIN, '/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find(
  (path): path is string => !!path && existsSync(path),
);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startMosquitto(): Promise<{ url: string; stop(): Promise<void> }> {
  if (!MOSQUITTO_BIN) throw new Error('mosquitto is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'pourcast-mosquitto-'));
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(
    config,
    `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stderr\n`,
  );
  const child = spawn(MOSQUITTO_BIN, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`mosquitto did not start: ${log}`)), 10_000);
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8');
      if (/running/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mosquitto exited with ${code}: ${log}`));
    });
  });
  return {
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
