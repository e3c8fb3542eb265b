// The render threads' entry, plain JavaScript so a thread starts whatever loaded the main thread: under
// `node --import tsx` (npm start, the tests, the bench) a thread inherits the TypeScript loader; without
// it, the thread registers tsx itself before it loads the TypeScript worker.
import { register } from 'tsx/esm/api';

const loadsTypeScript = await import('./ts-probe.ts').then(
  () => true,
  () => false,
);
if (!loadsTypeScript) register();

const worker = await import('./worker.ts');
export default worker.default;
