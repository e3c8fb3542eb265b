// PostgreSQL's own CPU during a bench scenario, beside the app's: the server runs on this machine, so
// /proc has its processes. Counted: the backends serving the bench's database (the app's connections,
// its autovacuum) and the server's WAL writer, checkpointer and background writer, which work for every
// database on the server (on a quiet machine, for the bench's). Not counted: other databases' backends.
import fs from 'node:fs';
import pg from 'pg';

/** CPU seconds so far (utime + stime, USER_HZ = 100) of each process, by pid. */
export type CpuByPid = Map<number, number>;

export function cpuSeconds(pid: number): number | undefined {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const after = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(after[11]) + Number(after[12])) / 100;
  } catch {
    return undefined; // gone, or not on this machine
  }
}

export interface PgCpu {
  sample(): Promise<CpuByPid>;
  /** the application_name of a backend seen by the last sample ('ghidanh worker' for a worker process's) */
  appOf(pid: number): string | undefined;
  close(): Promise<void>;
}

export async function openPgCpu(url: string): Promise<PgCpu> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const apps = new Map<number, string>();
  return {
    appOf: (pid) => apps.get(pid),
    async sample() {
      // this connection's own backend is left out: its queries are the measurement's, not the app's
      const r = await client.query<{ pid: number; application_name: string }>(
        `select pid, application_name from pg_stat_activity
          where pid <> pg_backend_pid()
            and (datname = current_database() or backend_type in ('walwriter', 'checkpointer', 'background writer'))`,
      );
      const out: CpuByPid = new Map();
      for (const { pid, application_name } of r.rows) {
        apps.set(pid, application_name);
        const s = cpuSeconds(pid);
        if (s !== undefined) out.set(pid, s);
      }
      return out;
    },
    close: () => client.end(),
  };
}

/**
 * CPU seconds spent between two samples: a process in both counts its difference, one that started in
 * between counts all of its time (a connection opened during the scenario). One that ended in between is
 * lost: the app's pool keeps its connections while it is busy.
 */
export function cpuBetween(before: CpuByPid, after: CpuByPid, only?: (pid: number) => boolean): number {
  let total = 0;
  for (const [pid, s] of after) if (!only || only(pid)) total += s - (before.get(pid) ?? 0);
  return total;
}
