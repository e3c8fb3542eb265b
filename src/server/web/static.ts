// Serves the browser app built into dist/web: hashed assets (/assets/*) for a year, immutable, so a CDN
// or the browser keeps them; index.html never cached, so a deploy is seen at once; and the SPA fallback:
// a GET outside /api that accepts HTML gets index.html and the app routes it. Anything else unknown keeps
// the API's JSON 404. Without a build (server tests) the routes answer 503 with a hint, never crash.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../http/errors.ts';
import '../http/route-access.ts';

export const WEB_DIST = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

const NOT_SPA = /^\/(api|healthz|readyz|metrics)(\/|$)/;

export async function webRoutes(app: FastifyInstance, opts: { root?: string } = {}): Promise<void> {
  const root = opts.root ?? WEB_DIST;
  const built = () => fs.existsSync(path.join(root, 'index.html'));

  // preCompressed: the build wrote name.br and name.gz beside each text file (vite.config.ts); the one the
  // browser accepts is sent, with Content-Encoding and Vary: Accept-Encoding
  await app.register(fastifyStatic, { root, serve: false, decorateReply: true, preCompressed: true });

  const sendIndex = (reply: FastifyReply) => {
    if (!built()) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('Giao diện web chưa được build: chạy `npm run build`. / The web app is not built: run `npm run build`.');
    }
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html', root, { cacheControl: false });
  };

  app.get('/assets/*', { config: { access: 'public' } }, (req: FastifyRequest<{ Params: { '*': string } }>, reply) => {
    const rel = req.params['*'];
    const file = path.join(root, 'assets', rel);
    if (rel.includes('..') || !file.startsWith(path.join(root, 'assets')) || !fs.existsSync(file)) throw AppError.notFound('asset');
    return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(path.join('assets', rel), root, { cacheControl: false });
  });

  app.get('/', { config: { access: 'public' } }, (_req, reply) => sendIndex(reply));

  app.get('/*', { config: { access: 'public' } }, (req, reply) => {
    const url = req.url.split('?')[0] ?? '/';
    const wantsHtml = (req.headers.accept ?? '').includes('text/html');
    if (NOT_SPA.test(url) || !wantsHtml) throw AppError.notFound(`GET ${url}`);
    return sendIndex(reply);
  });
}
