// A process's CPU priority (nice value), lowered for all of its threads. On Linux a nice value belongs to a
// thread, and os.setPriority(pid) reaches only the thread whose id is pid (the main thread): the threads
// node starts before it (V8's garbage-collection and compiler helpers, libuv's pool) keep the old value. A
// job worker measured that way spent half its CPU in those threads, at the web's priority. So every
// thread listed in /proc/<pid>/task is lowered; threads started later inherit the value of the thread
// that starts them (the main thread's, lowered). Elsewhere the process's priority as the OS sets it.
import fs from 'node:fs';
import os from 'node:os';

/** The nice value of each of the process's threads (Linux), or of the process. */
export function threadPriorities(pid: number): number[] {
  const tasks = taskIds(pid);
  if (!tasks) return [os.getPriority(pid)];
  const out: number[] = [];
  for (const tid of tasks) {
    try {
      out.push(os.getPriority(tid));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/**
 * Lowers the process `pid` and every thread it has to at least `nice` (never raises one). Returns the
 * number of threads lowered. Throws when the process's own priority cannot be set.
 */
export function lowerPriority(pid: number, nice: number): number {
  if (os.getPriority(pid) < nice) os.setPriority(pid, nice);
  const tasks = taskIds(pid);
  if (!tasks) return 1;
  let n = 0;
  for (const tid of tasks) {
    try {
      if (os.getPriority(tid) < nice) {
        os.setPriority(tid, nice);
        n++;
      }
    } catch {
      // the thread ended meanwhile
    }
  }
  return n;
}

function taskIds(pid: number): number[] | null {
  if (process.platform !== 'linux') return null;
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .map(Number)
      .filter((t) => Number.isInteger(t) && t > 0);
  } catch {
    return null;
  }
}
