import { estimateRun, openSession } from '../../api/index.ts';
import type { RunEstimate, Session } from '../../api/index.ts';
import type { Diagnostic } from '../../model/index.ts';
import { canaryRoutes, setRouteWeights } from '../config/canaryRoutes.ts';
import type { CanaryRoute } from '../config/canaryRoutes.ts';
import { documentText } from '../config/editYaml.ts';
import type { DocRef, ScenarioFile } from '../config/editYaml.ts';
import { meshMtlsMode, meshPolicy, setMeshMtls } from '../config/meshMtls.ts';
import type { MtlsMode } from '../config/meshMtls.ts';

/**
 * What the page loads: a scenario is read on the page's own thread (about
 * 2 s a MiB), so larger ones are refused with the loader's diagnostics
 * (MV0014) rather than stalling the tab. The CLI reads 32 MiB.
 */
export const PAGE_LIMITS = { maxFileBytes: 1024 * 1024, maxTotalBytes: 1024 * 1024 };

/** The most request-hops a story the visualizer plays may cost (the default scenario's is 4,800). */
export const STORY_BUDGET_HOPS = 1_000_000;

export type Opened<T> = { ok: true; value: T } | { ok: false; diagnostics: Diagnostic[] };

/** One document the controls own, as the YAML pane shows it. */
export interface ControlledDoc {
  title: string;
  text: string;
  /** Line numbers (1-based) that differ from the file as loaded. */
  changedLines: number[];
}

/**
 * The scenario's files as the controls have edited them, and the session
 * compiled from them. Every control edit goes through the YAML: the config
 * is the source of truth.
 */
export class ConfigState {
  private constructor(
    readonly baseFiles: ScenarioFile[],
    public files: ScenarioFile[],
    public session: Session,
  ) {}

  static open(files: ScenarioFile[]): Opened<ConfigState> {
    const opened = openSession(files, PAGE_LIMITS);
    return opened.ok ? { ok: true, value: new ConfigState(files, files, opened.session) } : { ok: false, diagnostics: opened.diagnostics };
  }

  private cache: { files: ScenarioFile[]; routes?: CanaryRoute[]; docs?: ControlledDoc[] } | undefined;

  /**
   * What playing the scenario's story would cost, when that is more than the
   * visualizer plays (`STORY_BUDGET_HOPS`): the page simulates it as it goes,
   * so `rps: 1e9` would freeze the tab. Undefined when the story fits.
   */
  storyTooLarge(): RunEstimate | undefined {
    if (this.storyEstimate?.session !== this.session) {
      this.storyEstimate = { session: this.session, estimate: estimateRun(this.session, this.session.scenario.simulation) };
    }
    const { estimate } = this.storyEstimate;
    return estimate.hops > STORY_BUDGET_HOPS ? estimate : undefined;
  }

  private storyEstimate: { session: Session; estimate: RunEstimate } | undefined;

  routes(): CanaryRoute[] {
    return (this.cached().routes ??= canaryRoutes(this.session.scenario));
  }

  private cached(): NonNullable<ConfigState['cache']> {
    if (this.cache?.files !== this.files) this.cache = { files: this.files };
    return this.cache;
  }

  mtls(): { mode: MtlsMode; fromPolicy: boolean } {
    return meshMtlsMode(this.session.scenario);
  }

  setWeights(key: string, weights: number[]): Opened<Session> {
    const route = this.routes().find((r) => r.key === key);
    if (!route) return { ok: false, diagnostics: [uiDiagnostic(`no weighted route ${key} in this scenario`)] };
    const files = setRouteWeights(this.files, route, weights);
    return files ? this.recompile(files) : { ok: false, diagnostics: [uiDiagnostic(`could not find ${route.doc.kind} ${route.doc.name} in the files`)] };
  }

  setMtls(mode: MtlsMode): Opened<Session> {
    return this.recompile(setMeshMtls(this.files, this.session.scenario, mode));
  }

  /** The documents the controls edit: each weighted route's VirtualService and the mesh-wide PeerAuthentication. */
  controlledDocs(): ControlledDoc[] {
    return (this.cached().docs ??= this.findControlledDocs());
  }

  private findControlledDocs(): ControlledDoc[] {
    const refs: DocRef[] = [];
    for (const r of this.routes()) if (!refs.some((d) => d.name === r.doc.name && d.namespace === r.doc.namespace)) refs.push(r.doc);
    const pa = meshPolicy(this.session.scenario);
    if (pa) refs.push(pa);
    return refs.flatMap((ref) => {
      const text = firstText(this.files, ref);
      if (text === undefined) return [];
      const before = firstText(this.baseFiles, ref);
      return [{ title: `${ref.kind} ${ref.namespace}/${ref.name}`, text, changedLines: changedLines(before ?? '', text) }];
    });
  }

  private recompile(files: ScenarioFile[]): Opened<Session> {
    const opened = openSession(files, PAGE_LIMITS);
    if (!opened.ok) return { ok: false, diagnostics: opened.diagnostics };
    this.files = files;
    this.session = opened.session;
    return { ok: true, value: opened.session };
  }
}

function firstText(files: ScenarioFile[], ref: DocRef): string | undefined {
  for (const f of files) {
    const text = documentText(f.text, ref);
    if (text !== undefined) return text;
  }
  return undefined;
}

/** Lines of `after` not present at the same position in `before` (enough for a few edited values). */
function changedLines(before: string, after: string): number[] {
  if (before === '') return after.split('\n').map((_, i) => i + 1).slice(0, -1);
  const a = before.split('\n');
  return after
    .split('\n')
    .map((line, i) => (a[i] === line ? 0 : i + 1))
    .filter((n) => n > 0);
}

function uiDiagnostic(message: string): Diagnostic {
  return { code: 'UI', severity: 'error', message };
}
