// `npm run bench [-- --quick] [--json] [--db sqlite,postgres] [--only a,b,…] [--candidates N] [--workers N] [--mix-rate R]`
// The national links' drains (only when named in --only: links-identity-drain, links-portal-drain):
// [--links-backlog N (100000)] [--links-mix-rate R (440)] [--links-window S] [--links-rounds K (3)]
// [--links-drain-all] [--links-worker-process] [--links-sim-nice N (10)] (test/load/links-bench.ts)
// The national surge on this machine: each scenario runs autocannon here against the server in its own
// process, on a copy of the cached synthetic country, and is compared with the bare Fastify route
// measured in the same run. --quick uses a small country and short runs (what CI may run; it asserts
// nothing about speed). Figures for the capacity plan come from a full run.
import { parseArgs } from 'node:util';
import os from 'node:os';
import { runBench, LINK_ROW_IDS, SCENARIO_IDS, type BenchOptions } from '../../test/load/bench.ts';

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
    'links-backlog': { type: 'string' },
    'links-mix-rate': { type: 'string' },
    'links-window': { type: 'string' },
    'links-rounds': { type: 'string' },
    'links-drain-all': { type: 'boolean', default: false },
    'links-worker-process': { type: 'boolean', default: false },
    'links-sim-nice': { type: 'string' },
    'postgres-url': { type: 'string', default: process.env['BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
  strict: true,
});

const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...SCENARIO_IDS];
const known: readonly string[] = [...SCENARIO_IDS, ...LINK_ROW_IDS];
const unknown = only.filter((s) => !known.includes(s));
if (unknown.length) {
  process.stderr.write(`unknown scenario(s) ${unknown.join(', ')}; known: ${known.join(', ')}\n`);
  process.exit(2);
}
const mixRate = values['mix-rate'] === undefined ? undefined : Number(values['mix-rate']);
if (mixRate !== undefined && !(Number.isFinite(mixRate) && mixRate > 0)) {
  process.stderr.write(`--mix-rate must be a positive number of requests per second, not ${values['mix-rate']}\n`);
  process.exit(2);
}
function positive(name: 'links-backlog' | 'links-mix-rate' | 'links-window' | 'links-rounds'): number {
  const v = Number(values[name]);
  if (!(Number.isFinite(v) && v > 0)) {
    process.stderr.write(`--${name} must be a positive number, not ${values[name]}\n`);
    process.exit(2);
  }
  return v;
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
  links: {
    ...(values['links-backlog'] ? { backlog: positive('links-backlog') } : {}),
    ...(values['links-mix-rate'] ? { mixRate: positive('links-mix-rate') } : {}),
    ...(values['links-window'] ? { windowSeconds: positive('links-window') } : {}),
    ...(values['links-rounds'] ? { rounds: positive('links-rounds') } : {}),
    drainAll: values['links-drain-all'],
    workerProcess: values['links-worker-process'],
    ...(values['links-sim-nice'] !== undefined ? { simNice: Math.max(0, Math.min(19, Number(values['links-sim-nice']) || 0)) } : {}),
  },
};
await runBench(opts);
