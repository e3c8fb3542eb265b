// `npm start`: the whole service on the configured database (embedded SQLite by default).
import { main } from '../server/main.ts';

await main();
