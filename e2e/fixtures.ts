import type { Page } from 'playwright-core';
import { test as base } from 'vitest';
import { openPage, startApp } from './harness.ts';
import type { App } from './harness.ts';

/**
 * Browser tests as fixtures: `app` (the production build and a Chromium) is
 * started once per file, `page` is one page of it shared by the file's tests
 * (they run in order and may build on each other, as a visitor would).
 */
export const test = base.extend<{ app: App; page: Page }>({
  app: [
    async ({}, use) => {
      const app = await startApp();
      await use(app);
      await app.close();
    },
    { scope: 'file' },
  ],
  page: [
    async ({ app }, use) => {
      const page = await openPage(app);
      await use(page);
      await page.close();
    },
    { scope: 'file' },
  ],
});
