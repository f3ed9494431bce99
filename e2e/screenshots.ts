// Takes the screenshots we look at when judging the UI: `npx tsx e2e/screenshots.ts`.
import { mkdirSync, readFileSync } from 'node:fs';
import { attrIs, mv, openPage, startApp } from './harness.ts';

const OUT = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(OUT, { recursive: true });
const app = await startApp();
try {
  for (const [w, h] of [
    [1280, 800],
    [1440, 900],
  ] as const) {
    const page = await openPage(app, { width: w, height: h });
    await page.screenshot({ path: `${OUT}${w}-01-open.png` });
    await mv(page, (m) => {
      m.pause();
      m.send(1);
      for (let i = 0; i < 3; i++) m.step();
    });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}${w}-02-wire.png` });
    await mv(page, (m) => m.finishPlayback());
    await mv(page, (m) => {
      const v1 = m.podOf('users-v1') as string;
      m.setFailing(v1, '503');
      m.send(10);
      m.finishPlayback();
      m.send(3);
      m.play();
    });
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `${OUT}${w}-03-failing.png` });
    await page.screenshot({ path: `${OUT}${w}-04-full.png`, fullPage: true });
    await page.close();
  }
} finally {
  await app.close();
}

// The smallest size we support: the Send controls beside the mesh, a sent request, a top-row card's labels.
const app1 = await startApp();
try {
  const page = await openPage(app1, { width: 1024, height: 768 });
  await page.screenshot({ path: `${OUT}1024-01-open.png` });
  await page.click('[data-testid="play"]');
  await page.click('[data-testid="send-one"]');
  await mv(page, (m) => {
    for (let i = 0; i < 3; i++) m.step();
  });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}1024-02-sent.png` });
  await mv(page, (m) => {
    m.finishPlayback();
    m.setFailing(m.podOf('cache') as string, 'refuse');
  });
  await page.hover(`[data-testid="pod-${await mv(page, (m) => m.podOf('cache') as string)}"] .card-name`);
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${OUT}1024-03-labels.png` });
  await page.selectOption('[data-testid="scenario"]', 'bookinfo');
  await page.waitForFunction(() => window.__meshviz?.scenario() === 'bookinfo');
  await page.mouse.move(0, 0);
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${OUT}1024-04-bookinfo.png` });
  await page.close();
} finally {
  await app1.close();
}

// Bookinfo, a broken file, and Auto at speed.
const app2 = await startApp();
try {
  const page = await openPage(app2, { width: 1280, height: 800 });
  await page.selectOption('[data-testid="scenario"]', 'bookinfo');
  await page.waitForFunction(() => window.__meshviz?.scenario() === 'bookinfo');
  await mv(page, (m) => {
    m.pause();
    m.send(1);
    for (let i = 0; i < 12; i++) m.step();
  });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}1280-05-bookinfo.png` });
  await page.setInputFiles('[data-testid="file-input"]', { name: 'broken.yaml', mimeType: 'text/yaml', buffer: Buffer.from('apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: x }\nspec:\n  hosts: [nowhere]\n  http: [{ route: [{ destination: { host: nowhere, subset: v9 } }] }]\n  tcp: 7\n') });
  await page.waitForSelector('[data-testid="diagnostics"]');
  await page.screenshot({ path: `${OUT}1280-06-diagnostics.png` });
  await page.selectOption('[data-testid="scenario"]', 'default');
  await page.waitForFunction(() => window.__meshviz?.scenario() === 'default');
  await mv(page, (m) => {
    m.setSpeed(10);
    m.auto(40);
    m.play();
  });
  await page.waitForTimeout(2500);
  await page.screenshot({ path: `${OUT}1280-07-auto.png` });
  await page.close();
} finally {
  await app2.close();
}

// Security and the scenario's story, at both sizes.
const yamlFile = (path: string) => ({ name: path.split('/').pop() as string, mimeType: 'text/yaml', buffer: readFileSync(new URL(`../${path}`, import.meta.url)) });
const app3 = await startApp();
try {
  for (const [w, h] of [
    [1280, 800],
    [1440, 900],
  ] as const) {
    const page = await openPage(app3, { width: w, height: h });
    await page.setInputFiles('[data-testid="file-input"]', [yamlFile('scenarios/default.yaml'), yamlFile('examples/legacy-client.yaml'), yamlFile('examples/rbac.yaml')]);
    await page.waitForFunction(() => window.__meshviz?.scenario() === 'custom');
    await page.check('[data-testid="mtls-STRICT"]');
    await mv(page, (m) => {
      m.select('legacy', 'api');
      m.pause();
      m.send(1);
      m.step();
      m.step();
    });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}${w}-08-strict-reset.png` });
    await mv(page, (m) => {
      m.finishPlayback();
      m.select('cache', 'api');
      m.send(1);
      m.step();
      m.step();
      m.step();
    });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}${w}-09-rbac-denied.png`, fullPage: true });
    await page.close();

    const story = await openPage(app3, { width: w, height: h });
    await story.click('[data-testid="story-play"]');
    await mv(story, (m) => {
      m.pause();
      m.advance(Math.ceil(16_000_000 - m.now()));
    });
    await story.waitForTimeout(300);
    await story.screenshot({ path: `${OUT}${w}-10-story.png` });
    await story.screenshot({ path: `${OUT}${w}-11-story-full.png`, fullPage: true });
    await story.close();
  }
} finally {
  await app3.close();
}

// Every lesson at two sizes: its first step before Do it, and its last step done.
const app4 = await startApp();
try {
  for (const [w, h] of [
    [1280, 800],
    [1024, 768],
  ] as const) {
    const page = await openPage(app4, { width: w, height: h });
    const ids = await page.locator('[data-testid="lesson-pick"] option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    for (const id of ids) {
      if ((await page.locator('[data-testid="lessons"]').count()) > 0) await page.click('[data-testid="lesson-leave"]');
      await page.selectOption('[data-testid="lesson-pick"]', id);
      await page.click('[data-testid="lesson-start"]');
      await attrIs(page, '[data-testid="lessons"]', 'data-lesson', id);
      await page.screenshot({ path: `${OUT}${w}-lesson-${id}-1.png` });
      const steps = await mv(page, (m) => m.lesson()?.steps ?? 0);
      for (let i = 0; i < steps; i++) {
        await page.click('[data-testid="lesson-do"]');
        await mv(page, (m) => m.pause());
        if (i < steps - 1) await page.click('[data-testid="lesson-next"]');
      }
      // The last step's requests part-way, so the picture shows them moving.
      await mv(page, (m) => m.playFor(1500));
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${OUT}${w}-lesson-${id}-2.png` });
    }
    await page.close();
  }
} finally {
  await app4.close();
}
