// The bare route's load generator, in a process of its own so that it can be given its own cores
// (taskset) and run autocannon on worker threads: the ceiling is then the server's limit, not one load
// thread's. `node --import tsx test/load/bare-load.ts <url> <connections> <seconds> <workers>`; prints
// the run's result as one line of JSON.
import { runLoad } from './run-load.ts';

const [url, connections, seconds, workers] = process.argv.slice(2);
const r = await runLoad({ url: url!, connections: Number(connections), durationSeconds: Number(seconds), same: { path: '/bare' }, workers: Number(workers) });
process.stdout.write(`${JSON.stringify(r)}\n`);
