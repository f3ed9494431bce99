import { StrictMode } from 'react';
import type { Root } from 'react-dom/client';
import type { SourceFile } from '../api/index.ts';
import { BUILT_IN_SCENARIOS } from './state/builtInScenarios.ts';
import { Controller } from './state/Controller.ts';
import { publishMetrics } from './state/publishMetrics.ts';
import { decodeUrlState, encodeUrlState, urlStateText } from './state/urlState.ts';
import { createTestHandle } from './testHandle.ts';
import { App } from './views/App.tsx';
import { ControllerContext } from './views/ControllerContext.ts';
import { CUSTOM } from './views/ScenarioPicker.tsx';

const CUSTOM_KEY = 'meshviz.customScenario';

function loadCustom(): SourceFile[] | undefined {
  try {
    const files = JSON.parse(localStorage.getItem(CUSTOM_KEY) ?? 'null') as SourceFile[] | null;
    return Array.isArray(files) && files.every((f) => typeof f?.name === 'string' && typeof f?.text === 'string') ? files : undefined;
  } catch {
    return undefined;
  }
}

function saveCustom(files: SourceFile[]): void {
  try {
    localStorage.setItem(CUSTOM_KEY, JSON.stringify(files));
  } catch {
    // Storage full or disabled: the files still work until the page is closed.
  }
}

function start(): Controller {
  const state = decodeUrlState(urlStateText(location.search, location.hash));
  // The page keeps its state in the fragment: a query it was opened with is read once, then dropped from the address.
  const persist = (s: Parameters<typeof encodeUrlState>[0]) => history.replaceState(null, '', `${location.pathname}#${encodeUrlState(s)}`);
  const custom = state.scenario === CUSTOM ? loadCustom() : undefined;
  const builtIn = BUILT_IN_SCENARIOS.find((s) => s.id === state.scenario) ?? (BUILT_IN_SCENARIOS[0] as (typeof BUILT_IN_SCENARIOS)[number]);
  let controller: Controller;
  try {
    controller = custom ? new Controller(CUSTOM, custom, { persist }) : new Controller(builtIn.id, builtIn.files, { persist });
  } catch {
    controller = new Controller(builtIn.id, builtIn.files, { persist });
  }
  if (state.scenario.startsWith('lesson:')) controller.startLesson(state.scenario.slice('lesson:'.length));
  if (controller.scene.id === state.scenario) controller.restore(state);
  // The picture asked for is shown whichever scenario the page could open.
  else if (state.view) controller.setView(state.view);
  return controller;
}

/** Loads the scenario the URL names (or the default) and replaces the loading page with the visualizer. */
export function boot(root: Root): void {
  const controller = start();
  window.__meshviz = createTestHandle(controller);
  setTimeout(() => controller.analyzeLater(), 0);
  // The mesh on the page, as the sidecars' metrics: `meshviz serve` serves them at /metrics for a Prometheus to scrape.
  publishMetrics(() => controller.scene.metrics.prometheusText());
  root.render(
    <StrictMode>
      <ControllerContext.Provider value={controller}>
        <App saveCustom={saveCustom} />
      </ControllerContext.Provider>
    </StrictMode>,
  );
}
