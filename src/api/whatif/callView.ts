import type { CallStats } from './CallFold.ts';

/** One kind of call's statistics in words and rounded numbers, as `diff` and `reach` show them. */
export interface CallView {
  requests: number;
  /** `200 100 %`, `200 90 %, 503 UH 10 %`. */
  answers: string;
  /** Share of answers the caller can use (1xx–3xx). */
  okPercent: number;
  /** `v1 100 %`; `-` for a cluster without subset. */
  subsets: string;
  /** The route that matched: its match and rule (`routeLabel`), with shares when several did. */
  route: string;
  /** `mTLS`, `plaintext`, `mTLS 60 %, plaintext 40 %`, or `none` when nothing reached a callee's sidecar. */
  mtls: string;
  plaintextPercent: number;
  /** `allowed`, `denied by AuthorizationPolicy/ns/name`, or shares of both; `-` when no sidecar judged it. */
  authz: string;
  deniedPercent: number;
  p50Ms: number;
  p99Ms: number;
}

export function callView(s: CallStats): CallView {
  const judged = s.mtls + s.plaintext;
  const denied = [...s.denied.values()].reduce((n, d) => n + d.count, 0);
  const allowed = [...s.allowed.values()].reduce((n, k) => n + k, 0);
  const verdicts = new Map<string, number>([...(allowed > 0 ? [['allowed', allowed] as [string, number]] : []), ...[...s.denied].map(([policy, d]) => [`denied by ${policy}`, d.count] as [string, number])]);
  return {
    requests: s.requests,
    answers: shares(s.answers, s.requests),
    okPercent: percent(s.ok, s.requests),
    subsets: shares(s.subsets, s.requests),
    route: s.routes.size === 1 ? [...s.routes.keys()][0] ?? '-' : shares(s.routes, s.requests),
    mtls: judged === 0 ? 'none' : s.plaintext === 0 ? 'mTLS' : s.mtls === 0 ? 'plaintext' : `mTLS ${percent(s.mtls, judged)} %, plaintext ${percent(s.plaintext, judged)} %`,
    plaintextPercent: percent(s.plaintext, Math.max(1, judged)),
    authz: allowed + denied === 0 ? '-' : verdicts.size === 1 ? [...verdicts.keys()][0] ?? '-' : shares(verdicts, allowed + denied),
    deniedPercent: percent(denied, Math.max(1, allowed + denied)),
    p50Ms: round(s.latency.percentile(50) / 1000),
    p99Ms: round(s.latency.percentile(99) / 1000),
  };
}

/** `v1 90 %, v2 10 %`: most first, then by name. */
export function shares(counts: Map<string, number>, total: number): string {
  return [...counts]
    .sort(([ka, a], [kb, b]) => b - a || ka.localeCompare(kb))
    .map(([key, n]) => `${key} ${percent(n, total)} %`)
    .join(', ');
}

function percent(n: number, total: number): number {
  return total === 0 ? 0 : Math.round((1000 * n) / total) / 10;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
