import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time (user + system, in seconds) spent so far by a PostgreSQL server: its postmaster and every
 * process under it (backends, WAL writer, checkpointer…), read from /proc. The difference between two
 * readings is what a workload cost the database, whatever else the machine is doing.
 */
const TICKS_PER_SECOND = 100;

export function postgresCpuSeconds(postmasterPid: number): number {
  const children = new Map<number, number[]>();
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // The command name is in parentheses and may hold spaces; the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    const ppid = Number(fields[1]);
    cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  let total = 0;
  const stack = [postmasterPid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += cpu.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** The postmaster's pid, from the first line of postmaster.pid in the cluster folder. */
export function postmasterPidOf(clusterDir: string): number {
  return Number(readFileSync(`${clusterDir}/postmaster.pid`, 'utf8').split('\n')[0]);
}
