import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const hasEngine = existsSync(new URL('./node_modules/zkos/package.json', import.meta.url));

export default defineConfig({
  base: './',
  worker: { format: 'es' },
  resolve: hasEngine ? {} : { alias: { zkos: fileURLToPath(new URL('./src/engine-missing.js', import.meta.url)) } },
  optimizeDeps: { exclude: ['zkos'] },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  server: { port: 5173, strictPort: true },
});
