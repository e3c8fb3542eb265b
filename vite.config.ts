// Builds the browser app (src/web) into dist/web: content-hashed file names so a CDN or the server can
// cache them for a year, one chunk per role (React.lazy in main.tsx), charts only in staff chunks.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./src/web/', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  // JSX via esbuild (react-jsx runtime): no Babel plugin needed
  esbuild: { jsx: 'automatic' },
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
