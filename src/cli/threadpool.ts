// Imported first by `npm start`: password hashes run on libuv's thread pool, which has 4 threads unless
// told otherwise before its first use. A machine with more cores gets a thread per concurrent hash.
import os from 'node:os';

process.env['UV_THREADPOOL_SIZE'] ??= String(Math.max(4, os.availableParallelism() + 1));
