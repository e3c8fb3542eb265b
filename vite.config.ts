// Builds the browser app (src/web) into dist/web: content-hashed file names so a CDN or the server can
// cache them for a year, one chunk per role (lazy() in main.tsx), charts only in staff chunks.
import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/**
 * Every text file of the build also written brotli- and gzip-compressed (name.br, name.gz) at build time,
 * at the highest levels (too slow per request, free once): the server sends the one the browser accepts
 * (@fastify/static's preCompressed) with Content-Encoding and Vary: Accept-Encoding. On a slow phone
 * network the JavaScript is a third of its size or less.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'ghidanh-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = c.build.outDir;
    },
    writeBundle() {
      const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
      for (const file of walk(outDir)) {
        if (!/\.(js|mjs|css|html|svg|json|txt|map)$/.test(file)) continue;
        const raw = fs.readFileSync(file);
        if (raw.length < 512) continue;
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }));
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(raw, { level: 9 }));
      }
    },
  };
}

const root = fileURLToPath(new URL('./src/web/', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  // JSX via esbuild (react-jsx runtime): no Babel plugin needed
  esbuild: { jsx: 'automatic' },
  plugins: [precompress()],
  // The pages are written against React's API (and typed by @types/react) but run on Preact's compatible
  // implementation: about 4 KB instead of 60 KB compressed, which on a slow phone network is a second or
  // more before the sign-in page can be used (the slow-network budget in the browser tests).
  resolve: {
    alias: [
      { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
      { find: /^react-dom$/, replacement: 'preact/compat' },
      { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
      { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
      { find: /^react$/, replacement: 'preact/compat' },
    ],
  },
  build: {
    outDir: fileURLToPath(new URL('./dist/web/', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2020',
    sourcemap: false,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      output: {
        entryFileNames: 'assets/[name]-[hash].js',
        chunkFileNames: 'assets/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
