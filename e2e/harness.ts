import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { startDevServer } from '../src/cli/devServer.ts';
import { startVisualizerServer } from '../src/cli/serve.ts';
import type { RunningServer } from '../src/cli/staticServer.ts';
import { ensureVisualizerBuild } from '../src/cli/visualizerBuild.ts';
import type { MeshvizTestHandle } from '../src/ui/testHandle.ts';

/** The production build as `npm start` serves it, built first if dist/ is out of date. */
async function startBuilt(): Promise<RunningServer> {
  await ensureVisualizerBuild((line) => process.stderr.write(`${line}\n`));
  return startVisualizerServer({ host: '127.0.0.1', port: 0 });
}

/** Debian's Chromium, headless, with everything that phones home turned off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.MESHVIZ_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface App {
  server: RunningServer;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * The visualizer on a free port and a browser to look at it: what `npm start`
 * serves (the production build, with its headers and CSP), or with `dev`
 * Vite's dev server on the sources (`npm run dev`).
 */
export async function startApp(options: { dev?: boolean } = {}): Promise<App> {
  const server = options.dev ? await startDevServer({ host: '127.0.0.1', port: 0 }) : await startBuilt();
  const browser = await launchChromium();
  return {
    server,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Opens the app (optionally at a `#state` link) and waits until the test handle is there. */
export async function openPage(app: App, options: { hash?: string; width?: number; height?: number; reducedMotion?: boolean } = {}): Promise<Page> {
  const page = await app.browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 }, reducedMotion: options.reducedMotion ? 'reduce' : 'no-preference' });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${app.server.url}${options.hash ? `#${options.hash}` : ''}`);
  await page.waitForFunction(() => window.__meshviz !== undefined && document.querySelector('[data-testid="mesh"]') !== null, undefined, { timeout: 60_000 });
  return page;
}

/** Calls the page's typed test handle. */
export function mv<R>(page: Page, fn: (h: MeshvizTestHandle) => R): Promise<R>;
export function mv<R, A>(page: Page, fn: (h: MeshvizTestHandle, arg: A) => R, arg: A): Promise<R>;
export function mv<R, A>(page: Page, fn: (h: MeshvizTestHandle, arg: A) => R, arg?: A): Promise<R> {
  return page.evaluate(
    ([source, a]) => {
      const handle = window.__meshviz;
      if (!handle) throw new Error('no window.__meshviz');
      return new Function('h', 'a', `return (${source})(h, a);`)(handle, a) as R;
    },
    [fn.toString(), arg] as const,
  );
}

/**
 * An element's text as a reader sees it, including what open shadow roots
 * hold (the YAML editors live in one), a line break after each editor line;
 * `false` while it is still `before`. Runs in the page.
 */
function readIfChanged([selector, before]: readonly [string, string | null | undefined]): { text: string | null } | false {
  const walk = (node: Node): string => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
    const el = node as Element;
    const own = [...(el.shadowRoot?.childNodes ?? []), ...node.childNodes].map(walk).join('');
    return el.classList?.contains('cm-line') ? `${own}\n` : own;
  };
  const el = document.querySelector(selector);
  const text = el ? walk(el) : null;
  return text !== before ? { text } : false;
}

/**
 * Waits until an element's text satisfies `check` (React renders after the
 * handle's calls return). The check runs here, in Node: code made from a
 * string inside the page would break the app's Content-Security-Policy (no
 * 'unsafe-eval') whenever the first look fails and the page has to poll. The
 * page only waits for the text to change, so nothing sleeps.
 */
export async function textOf(page: Page, testId: string, check: (text: string) => boolean = () => true): Promise<string> {
  const selector = `[data-testid="${testId}"]`;
  const deadline = Date.now() + 10_000;
  let seen = await page.evaluate(readIfChanged, [selector, undefined] as const);
  for (;;) {
    const text = seen ? seen.text : null;
    if (text !== null && check(text)) return text;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`textOf(${testId}): ${text === null ? 'no such element' : `the text never passed the check; last seen: ${JSON.stringify(text.slice(0, 300))}`}`);
    const changed = await page.waitForFunction(readIfChanged, [selector, text] as const, { timeout: left }).catch(() => undefined);
    seen = changed ? ((await changed.jsonValue()) as { text: string | null }) : { text };
  }
}

/** Waits until an element's attribute has a value. */
export async function attrIs(page: Page, selector: string, name: string, value: string): Promise<void> {
  await page.waitForFunction(([sel, n, v]) => document.querySelector(sel as string)?.getAttribute(n as string) === v, [selector, name, value] as const, { timeout: 10_000 });
}

/** The number at the start of a stat tile. */
export async function stat(page: Page, name: string): Promise<number> {
  const text = await textOf(page, `stat-${name}`);
  return Number((text.match(/^[\d,]+/)?.[0] ?? 'NaN').replace(/,/g, ''));
}

/** Loads `files`, shows the Graph and plays the scenario's story for `wallMs` at 1× (`workload` tells the files are in). */
export async function playStoryOnGraph(page: Page, files: string[], workload: string, wallMs: number): Promise<void> {
  await page.setInputFiles('[data-testid="file-input"]', files);
  await page.waitForFunction((w) => window.__meshviz?.pods().some((p) => p.workload === w), workload);
  await mv(
    page,
    (m, ms) => {
      m.view('graph');
      m.playStory();
      m.setSpeed(1);
      m.play();
      m.playFor(ms);
    },
    wallMs,
  );
}
