// `npm run bench [-- --quick] [--json] [--db sqlite,postgres] [--only a,b,…] [--candidates N] [--workers N] [--mix-rate R]`
// The national surge on this machine: each scenario runs autocannon here against the server in its own
// process, on a copy of the cached synthetic country, and is compared with the bare Fastify route
// measured in the same run. --quick uses a small country and short runs (what CI may run; it asserts
// nothing about speed). Figures for the capacity plan come from a full run.
import { parseArgs } from 'node:util';
import os from 'node:os';
import { runBench, SCENARIO_IDS, type BenchOptions } from '../../test/load/bench.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    db: { type: 'string', default: 'sqlite,postgres' },
    only: { type: 'string' },
    candidates: { type: 'string' },
    seed: { type: 'string', default: '1' },
    duration: { type: 'string' },
    workers: { type: 'string', default: '1' },
    'mix-rate': { type: 'string' },
    'postgres-url': { type: 'string', default: process.env['BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
  strict: true,
});

const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...SCENARIO_IDS];
const unknown = only.filter((s) => !(SCENARIO_IDS as readonly string[]).includes(s));
if (unknown.length) {
  process.stderr.write(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIO_IDS.join(', ')}\n`);
  process.exit(2);
}
const mixRate = values['mix-rate'] === undefined ? undefined : Number(values['mix-rate']);
if (mixRate !== undefined && !(Number.isFinite(mixRate) && mixRate > 0)) {
  process.stderr.write(`--mix-rate must be a positive number of requests per second, not ${values['mix-rate']}\n`);
  process.exit(2);
}
const opts: BenchOptions = {
  quick: values.quick,
  json: values.json,
  dbs: values.db.split(',').map((s) => s.trim()).filter((s): s is 'sqlite' | 'postgres' => s === 'sqlite' || s === 'postgres'),
  only,
  candidates: Number(values.candidates ?? (values.quick ? 20_000 : 1_200_000)),
  seed: Number(values.seed),
  durationSeconds: Number(values.duration ?? (values.quick ? 2 : 10)),
  workers: Math.max(1, Number(values.workers)),
  postgresUrl: values['postgres-url'],
  cores: os.availableParallelism(),
  ...(mixRate !== undefined ? { mixRate } : {}),
};
await runBench(opts);
