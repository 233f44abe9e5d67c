/**
 * What the OS says about a process and the machine (Linux /proc). The load benchmark reads the
 * server's CPU time, resident memory and open file descriptors from here, so they are measured
 * apart from the load generator's own processes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';

/** Linux reports utime/stime in USER_HZ ticks, which is 100 on every Linux ABI. */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may contain spaces: read after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]); // field 14
  const stime = Number(rest[12]); // field 15
  return (utime + stime) / TICKS_PER_SECOND;
}

/** Resident set size in MiB (VmRSS). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kb === undefined ? NaN : Number(kb) / 1024;
}

/** Open file descriptors (sockets, database files, pipes). */
export function openFds(pid: number): number {
  return readdirSync(`/proc/${String(pid)}/fd`).length;
}

/**
 * One sample of a process: CPU seconds so far, RSS, fds, at a wall-clock time; and the same
 * added up over its child processes (the server's edge processes, `--edge-workers`).
 */
export interface ProcSample {
  at: number;
  cpuSeconds: number;
  rssMiB: number;
  fds: number;
  childCpuSeconds: number;
  childRssMiB: number;
}

/** Pids of the processes whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export function sample(pid: number, children: readonly number[] = []): ProcSample | undefined {
  try {
    let childCpuSeconds = 0;
    let childRssMiB = 0;
    for (const c of children) {
      try {
        childCpuSeconds += cpuSeconds(c);
        childRssMiB += rssMiB(c);
      } catch {
        // an edge that ended (and was replaced) meanwhile
      }
    }
    return { at: Date.now(), cpuSeconds: cpuSeconds(pid), rssMiB: rssMiB(pid), fds: openFds(pid), childCpuSeconds, childRssMiB };
  } catch {
    return undefined; // the process is gone
  }
}

/** CPU use between two samples in percent of one core (`children`: of the child processes). */
export function cpuPercent(a: ProcSample, b: ProcSample, children = false): number {
  const wall = (b.at - a.at) / 1000;
  const used = children ? b.childCpuSeconds - a.childCpuSeconds : b.cpuSeconds - a.cpuSeconds;
  return wall > 0 ? (used / wall) * 100 : NaN;
}

/**
 * Samples a process every `everyMs` until stopped: the maximum RSS and fds seen, and all samples
 * (for the soak's slope).
 */
export class ProcWatcher {
  readonly samples: ProcSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The child processes counted with it (read once: the server starts its edges before it listens). */
  readonly children: readonly number[];

  constructor(
    readonly pid: number,
    everyMs: number,
    withChildren = false,
  ) {
    this.children = withChildren ? childrenOf(pid) : [];
    this.take();
    this.timer = setInterval(() => this.take(), everyMs);
    this.timer.unref();
  }

  take(): ProcSample | undefined {
    const s = sample(this.pid, this.children);
    if (s) this.samples.push(s);
    return s;
  }

  stop(): ProcSample | undefined {
    clearInterval(this.timer);
    this.timer = undefined;
    return this.take();
  }

  /** Samples taken between two wall-clock times (inclusive). */
  between(from: number, to: number): ProcSample[] {
    return this.samples.filter((s) => s.at >= from && s.at <= to);
  }
}

function firstMatch(file: string, re: RegExp): string | undefined {
  try {
    return re.exec(readFileSync(file, 'utf8'))?.[1]?.trim();
  } catch {
    return undefined;
  }
}

/** The machine, read from the OS (for the results and docs/benchmarks.md). */
export function machine(): Record<string, string | number | boolean> {
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  return {
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    virtualized: /^flags\s*:.*\bhypervisor\b/m.test(cpuinfo),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: firstMatch('/etc/os-release', /^PRETTY_NAME="?([^"\n]+)"?$/m) ?? 'unknown',
    kernel: release(),
    node: process.version,
    openFilesPerProcess: Number(firstMatch('/proc/self/limits', /^Max open files\s+(\d+)/m) ?? NaN),
    loadAverage1m: Math.round((loadavg()[0] ?? NaN) * 100) / 100,
    date: new Date().toISOString(),
  };
}
