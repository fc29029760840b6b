import { readdirSync, readFileSync } from 'node:fs';

/** Linux /proc figures for every process of one process group (a child started with `detached: true`). */
interface ProcStat {
  pid: number;
  command: string;
  cpuMs: number;
  rssBytes: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const PAGE_BYTES = 4096;

function readStat(pid: number): (ProcStat & { pgid: number }) | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command is in parentheses and may contain spaces: split after the last ')'.
    const close = text.lastIndexOf(')');
    const command = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    // Fields after the command, 0-based: state=0, ppid=1, pgrp=2, ..., utime=11, stime=12, ..., rss=21.
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return {
      pid,
      command,
      pgid: Number(fields[2]),
      cpuMs: ((utime + stime) * 1000) / TICKS_PER_SECOND,
      rssBytes: Number(fields[21]) * PAGE_BYTES,
    };
  } catch {
    return null;
  }
}

export function processGroup(pgid: number): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.pgid === pgid) stats.push(stat);
  }
  return stats;
}

/** CPU time (ms) used so far by the processes of a group whose command matches. */
export function groupCpuMs(pgid: number, command?: RegExp): number {
  return processGroup(pgid)
    .filter((p) => !command || command.test(p.command))
    .reduce((sum, p) => sum + p.cpuMs, 0);
}

/** The largest resident set in the group: the server itself, not the launcher in front of it. */
export function largestRssMb(pgid: number): number {
  const sizes = processGroup(pgid).map((p) => p.rssBytes);
  return sizes.length ? Math.max(...sizes) / (1024 * 1024) : Number.NaN;
}
