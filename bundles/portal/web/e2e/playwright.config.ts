import { defineConfig } from '@playwright/test';
import path from 'node:path';

// Never downloads a browser: the machine's Chromium is used (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 at install).
export const ARTIFACTS = process.env.E2E_ARTIFACTS ?? path.resolve(process.cwd(), '../target/e2e-artifacts');

export default defineConfig({
  testDir: '.',
  // the federation walk needs three centers (itests ThreeCenterIT sets E2E_FEDERATION); the others one platform
  ...(process.env.E2E_FEDERATION ? { testMatch: ['federation.spec.ts'] } : { testIgnore: ['federation.spec.ts'] }),
  timeout: 10 * 60 * 1000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  outputDir: path.join(ARTIFACTS, 'test-results'),
  reporter: [['list'], ['html', { outputFolder: path.join(ARTIFACTS, 'report'), open: 'never' }]],
  use: {
    baseURL: process.env.BASE_URL ?? 'http://localhost:8181',
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    acceptDownloads: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-quic',
        '--no-first-run',
        '--disable-sync',
      ],
    },
  },
});
