// CPU time of the processes taking part in a run, from /proc (Linux; elsewhere nothing is
// reported). On a 2-core machine the server, PostgreSQL and this client share the cores, and the
// machine's speed drifts from hour to hour: CPU time per instance says where the time goes, and
// is steadier than instances per second.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ: 100 on Linux, whatever the kernel's HZ). */
const TICKS_PER_SECOND = 100;

interface Stat {
  pid: number;
  ppid: number;
  comm: string;
  /** user + system, in clock ticks */
  ticks: number;
}

function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // comm is in parentheses and may hold spaces: the fields after it are counted from its ")".
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  return {
    pid,
    comm: text.slice(text.indexOf('(') + 1, close),
    ppid: Number(fields[1]),
    ticks: Number(fields[11]) + Number(fields[12]),
  };
}

function allStats(): Stat[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries
    .filter((e) => /^\d+$/.test(e))
    .map((e) => readStat(Number(e)))
    .filter((s): s is Stat => s !== undefined);
}

/** Seconds of CPU so far: of the process `root` and its descendants (server processes), and of every `postgres` process. */
export function cpuSnapshot(root: number): { server: number; postgres: number } | undefined {
  const stats = allStats();
  if (stats.length === 0) return undefined;
  const tree = new Set([root]);
  // Parents come before children in pid order only mostly: loop until nothing is added.
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats) {
      if (!tree.has(s.pid) && tree.has(s.ppid)) {
        tree.add(s.pid);
        grew = true;
      }
    }
  }
  let server = 0;
  let postgres = 0;
  for (const s of stats) {
    if (tree.has(s.pid)) server += s.ticks;
    else if (s.comm === 'postgres') postgres += s.ticks;
  }
  return { server: server / TICKS_PER_SECOND, postgres: postgres / TICKS_PER_SECOND };
}
