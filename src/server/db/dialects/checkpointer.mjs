// The SQLite WAL's checkpoints, on a thread of their own. SQLite checkpoints in the connection that
// commits, when the WAL has passed 1,000 pages: for better-sqlite3 that is the event loop, and after a large
// write (a class list, a re-check's queue, a bulk load) the next request's commit copied thousands of pages
// into the database file and synced it while every request of the process waited. The service's writer
// turns that off (wal_autocheckpoint = 0) and this thread runs a PASSIVE checkpoint every `intervalMs` on a
// connection of its own: it copies what no reader still needs, never waits for the writer or the readers,
// and syncs the database file off the event loop. Plain JavaScript: nothing here needs the app's code.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { file, intervalMs, synchronous } = workerData;
const db = new Database(file, { fileMustExist: true, timeout: 0 });
db.pragma(`synchronous = ${synchronous}`);
db.pragma('wal_autocheckpoint = 0');
let timer = null;
let checkpoints = 0;

function tick() {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r && r.log > 0) checkpoints += 1;
  } catch {
    // another process's checkpoint holds its lock: the next tick, or that one, catches up
  }
  timer = setTimeout(tick, intervalMs);
}

parentPort.on('message', (m) => {
  if (m === 'stop') {
    if (timer) clearTimeout(timer);
    try {
      db.close();
    } finally {
      parentPort.postMessage({ stopped: true, checkpoints });
    }
  }
});
tick();
