import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The zkos package is built in ../npm (make playground-deps); without its build the app says so.
const hasEngine = existsSync(new URL('./node_modules/zkos/dist/esm/browser.js', import.meta.url));

export default defineConfig({
  base: './',
  worker: { format: 'es' },
  resolve: hasEngine ? {} : { alias: { zkos: fileURLToPath(new URL('./src/engine-missing.js', import.meta.url)) } },
  optimizeDeps: { exclude: ['zkos'] },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  server: { port: 5173, strictPort: true },
});
