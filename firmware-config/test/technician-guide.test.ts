import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli.ts';

const guide = await readFile(new URL('../../docs/TECHNICIAN.md', import.meta.url), 'utf8');

/** Every `pourcast-config ...` command line in the guide's code blocks, continuation lines joined. */
function guideInvocations(): string[] {
  const blocks = [...guide.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/\\\n\s*/g, ' '));
  return blocks.flatMap((block) =>
    block
      .split('\n')
      .map((line) => line.match(/pourcast-config\s+(.*)$/)?.[1])
      .filter((rest): rest is string => rest !== undefined),
  );
}

describe('docs/TECHNICIAN.md', () => {
  const invocations = guideInvocations();

  it('shows the commands a technician needs', () => {
    const shown = new Set(invocations.map((line) => line.split(/\s+/)[0]));
    for (const name of [
      'validate',
      'claim',
      'add-device',
      'calibrate',
      'map-slot',
      'push-config',
      'list',
      'revoke',
      'replace',
      'export',
      'import',
    ])
      expect(shown).toContain(name);
  });

  it.each(invocations)('pourcast-config %s: the command and every option exist', (line) => {
    const [name, ...words] = line.split(/\s+/);
    const command = COMMANDS.find((c) => c.name === name);
    expect(command, `no command ${name}`).toBeDefined();
    for (const word of words.filter((w) => w.startsWith('--'))) {
      const option = word.slice(2).split('=')[0]!;
      expect(Object.keys(command!.options), `${name} has no --${option}`).toContain(option);
      expect(command!.usage).toContain(`--${option}`);
    }
  });
});
