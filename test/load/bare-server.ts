// The ceiling: a bare Fastify JSON route in a process of its own, measured in the same run as the app.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/bare', async () => ({ hello: 'world' }));
const port = Number(process.argv[2] ?? 0);
await app.listen({ host: '127.0.0.1', port });
process.stdout.write(`listening ${(app.server.address() as { port: number }).port}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
