import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runConfigCli } from '../../src/cli.ts';

/** Runs pourcast-config in process, as a technician would from the shell, with its output captured. */
export async function runCli(argv: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runConfigCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, env);
  return { code, stdout, stderr };
}

/** A gateway configuration file for a bar called "corner bar" in `dir`, on any free ports; answers its path. */
export async function writeGatewayConfigFile(dir: string, hubUrl: string): Promise<string> {
  const configPath = join(dir, 'gateway.json');
  await writeFile(
    configPath,
    JSON.stringify({
      version: 1,
      gateway: {
        name: 'corner bar',
        dataDir: join(dir, 'data'),
        mqtt: { port: 0 },
        http: { port: 0 },
        hub: { url: hubUrl },
      },
    }),
  );
  return configPath;
}
