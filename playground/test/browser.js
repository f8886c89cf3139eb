// Shared set-up of the browser tests: serve dist/ and drive Debian's Chromium with playwright-core.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.js';

export const OUTPUT_DIR = new URL('../test-output/', import.meta.url);

/** Starts the server and the browser; returns {page, url, consoleErrors, close()}. */
export async function start() {
  const server = await serve(new URL('../dist/', import.meta.url).pathname, 0);
  const url = `http://127.0.0.1:${server.address().port}/`;
  const profile = mkdtempSync(join(tmpdir(), 'prof-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1600, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  mkdirSync(OUTPUT_DIR, { recursive: true });
  return {
    page, url, consoleErrors,
    async close() { await context.close(); server.close(); rmSync(profile, { recursive: true, force: true }); },
  };
}
