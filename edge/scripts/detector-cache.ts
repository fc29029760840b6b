/**
 * A rendered data set kept on disk between runs of train-detector.ts / eval-detector.ts: rendering is the
 * same every time for the same seed, so a rerun (another epoch count, another loss) reads it back instead.
 * The folder name carries everything the frames depend on: seed, frame count, crop size, conditions and a
 * hash of the renderer and crop code, so a changed renderer never reads a stale set.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { LabelledFrame, RenderFramesOptions } from './detector-dataset.ts';

const here = new URL('.', import.meta.url).pathname;
/** Sources whose change changes the rendered crops or their labels. */
const SOURCES = [
  join(here, '../../devices/src/camera'),
  join(here, '../src/detection/slot-crops.ts'),
  join(here, '../src/detection/frame-decoder.ts'),
  join(here, 'detector-dataset.ts'),
];

async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const source of SOURCES) {
    const files = (await stat(source)).isDirectory()
      ? (await readdir(source))
          .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
          .sort()
          .map((f) => join(source, f))
      : [source];
    for (const file of files) hash.update(file.slice(here.length)).update(await readFile(file));
  }
  return hash.digest('hex').slice(0, 12);
}

export interface FrameCache {
  dir: string;
  /** True when every frame is on disk (a run that stopped half way is rendered again). */
  complete: boolean;
  read(index: number): Promise<LabelledFrame>;
  write(frame: LabelledFrame): Promise<void>;
  finish(): Promise<void>;
}

export async function openFrameCache(root: string, options: RenderFramesOptions): Promise<FrameCache> {
  const conditions = createHash('sha256')
    .update(JSON.stringify(options.conditions))
    .digest('hex')
    .slice(0, 8);
  const dir = join(
    root,
    `seed${options.seed}-f${options.frames}-${options.cropHeight}x${options.cropWidth}-c${conditions}-r${await sourceHash()}`,
  );
  const marker = join(dir, 'complete');
  const complete = await stat(marker).then(
    () => true,
    () => false,
  );
  if (!complete) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
  }
  const file = (index: number) => join(dir, `${String(index).padStart(5, '0')}.bin`);
  return {
    dir,
    complete,
    read: async (index) => deserialize(await readFile(file(index))) as LabelledFrame,
    write: (frame) => writeFile(file(frame.index), serialize(frame)),
    finish: () => writeFile(marker, new Date().toISOString()),
  };
}
