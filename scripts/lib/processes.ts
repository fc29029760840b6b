import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Ports come from below Linux's ephemeral range (32768-60999), where neither `listen(0)` nor an outgoing
 * connection's source port ever lands: nothing takes a port between our pick and the bind of the process
 * we hand it to (the gateway binds its ports 20-30 s later; a restarted hub takes its port back).
 */
const PORT_RANGE = { first: 20_000, last: 32_000 };
/** One file per port handed out, holding the pid that took it: two processes on this machine (two e2e files
 * at once, a benchmark) never get the same port. A file whose process is gone is free again. */
const RESERVATIONS = join(tmpdir(), 'pourcast-ports');
const reserved = new Set<number>();
let cursor: number | undefined;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseReservations() {
  for (const port of reserved) {
    try {
      unlinkSync(join(RESERVATIONS, String(port)));
    } catch {
      // already gone
    }
  }
  reserved.clear();
}

/** Takes the port's reservation file for this process, or says it belongs to a live one. */
function reserve(port: number): boolean {
  const file = join(RESERVATIONS, String(port));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      if (reserved.size === 0) process.once('exit', releaseReservations);
      reserved.add(port);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(file, 'utf8'));
      // A half-written file (owner 0) is someone taking it right now.
      if (!owner || alive(owner)) return false;
      try {
        unlinkSync(file); // left by a process that died
      } catch {
        // another process cleared it first
      }
    }
  }
  return false;
}

function unreserve(port: number) {
  reserved.delete(port);
  unlinkSync(join(RESERVATIONS, String(port)));
}

async function canListen(port: number): Promise<boolean> {
  const server = createServer();
  server.listen(port, '127.0.0.1');
  try {
    await Promise.race([
      once(server, 'listening'),
      once(server, 'error').then(([error]) => Promise.reject(error)),
    ]);
  } catch {
    return false;
  }
  server.close();
  await once(server, 'close');
  return true;
}

/**
 * A free loopback TCP port for a process about to start, kept for this process until it exits: from outside
 * the ephemeral range, reserved machine-wide (see RESERVATIONS), and listened on once to be sure it is free.
 */
export async function freePort(): Promise<number> {
  mkdirSync(RESERVATIONS, { recursive: true });
  const size = PORT_RANGE.last - PORT_RANGE.first + 1;
  // Each process starts at its own place in the range, so that two seldom try the same ports.
  cursor ??= (process.pid * 7919) % size;
  for (let tried = 0; tried < size; tried++) {
    const port = PORT_RANGE.first + (cursor++ % size);
    if (reserved.has(port) || !reserve(port)) continue;
    if (await canListen(port)) return port;
    unreserve(port); // something else on the machine listens there
  }
  throw new Error(`no free port in ${PORT_RANGE.first}-${PORT_RANGE.last}`);
}

export interface ChildOptions {
  name: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Receives each output line, prefixed by the caller as it likes; defaults to silence. */
  onLine?: (line: string) => void;
}

export interface RunningChild {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after the grace period. */
  stop(graceMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
}

export function startChild(command: string, args: string[], options: ChildOptions): RunningChild {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group, so stopping it also stops what it spawned (wrangler → workerd, tsx → node).
    detached: true,
  });
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) options.onLine?.(line);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  };
  return {
    name: options.name,
    child,
    exited,
    kill: (signal = 'SIGKILL') => signalGroup(signal),
    async stop(graceMs = 5000) {
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a command to completion; rejects with its output when it fails. */
export async function run(
  command: string,
  args: string[],
  options: Omit<ChildOptions, 'name'> = {},
): Promise<string> {
  const lines: string[] = [];
  const child = startChild(command, args, { ...options, name: command, onLine: (line) => lines.push(line) });
  const code = await child.exited;
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}:\n${lines.join('\n')}`);
  return lines.join('\n');
}

/** Thrown from a `waitFor` check to stop waiting at once (the thing waited for can no longer happen). */
export class StopWaiting extends Error {}

/** Polls until `check` returns a value (not undefined) or the timeout passes. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof StopWaiting) throw error;
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
  );
}
