// `npm start`: the whole service on the configured database (embedded SQLite by default).
import './threadpool.ts'; // before anything touches the thread pool
import { main } from '../server/main.ts';

await main();
