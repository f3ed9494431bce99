import type { LoadOptions, SourceFile } from '../istio/index.ts';
import type { Scenario } from '../model/index.ts';
import { analyze } from './analyze.ts';
import type { AnalyzedDiagnostic } from './analyze.ts';
import { openSession } from './Session.ts';
import type { Session } from './Session.ts';

export type AnalyzedOpen =
  | { ok: true; session: Session; diagnostics: AnalyzedDiagnostic[] }
  /** Refused: errors, or nothing to load at all (every file empty). */
  | { ok: false; diagnostics: AnalyzedDiagnostic[] };

/**
 * Opens files the way the visualizer does: with exactly the findings
 * `meshviz analyze` gives for them (same codes, same severities, same
 * order). Files with an error are refused, and so are files that hold
 * nothing to simulate (an empty file is its MV0004, never an empty mesh).
 */
export function openAnalyzed(files: SourceFile[], options: LoadOptions = {}): AnalyzedOpen {
  const { diagnostics, errors } = analyze(files, options);
  if (errors > 0) return { ok: false, diagnostics };
  const opened = openSession(files, options);
  // analyze loads and compiles the same files: whatever stops the session is among its errors.
  if (!opened.ok) return { ok: false, diagnostics };
  if (isEmpty(opened.session.scenario)) return { ok: false, diagnostics };
  return { ok: true, session: opened.session, diagnostics };
}

function isEmpty(s: Scenario): boolean {
  return s.workloads.length + s.services.length + s.virtualServices.length + s.destinationRules.length + s.peerAuthentications.length + s.authorizationPolicies.length === 0;
}
