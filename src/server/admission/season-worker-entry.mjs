// The admission run's worker threads' entry, plain JavaScript so a thread starts whatever loaded the main
// thread (as the render pool's worker-entry.mjs): under `node --import tsx` a thread inherits the
// TypeScript loader; without it, the thread registers tsx itself before it loads the TypeScript worker.
import { register } from 'tsx/esm/api';

const loadsTypeScript = await import('../render/ts-probe.ts').then(
  () => true,
  () => false,
);
if (!loadsTypeScript) register();

await import('./season-worker.ts');
