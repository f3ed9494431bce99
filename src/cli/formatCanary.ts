import type { CanaryWalk, GateCheck, WindowStats } from '../api/index.ts';
import { formatTable } from './table.ts';
import type { Layout } from './table.ts';

type Step = CanaryWalk['steps'][number];

/** The walk as a table, one row per tick of the control loop, then the outcome. */
export function formatCanary(w: CanaryWalk, layout: Layout): string {
  const c = layout.colors;
  const lines = [`${w.kind} ${w.canary}: ${w.target} (canary) and ${w.stable} (stable) behind ${w.service}${w.generatedTraffic ? ', traffic generated: external → the Service at 10 rps' : ''}`, ''];
  lines.push(...formatTable<Step>(w.steps, [
    { header: 'STEP', cell: (s) => String(s.step), align: 'right' },
    { header: 'AT', cell: (s) => `${s.atMs / 1000}s`, align: 'right' },
    { header: 'ACTION', cell: (s) => s.action, style: (text) => (text === 'halt' || text === 'rollback' || text === 'abort' ? c.red(text) : text === 'promote' ? c.green(text) : text) },
    { header: 'WEIGHT', cell: (s) => `${100 - s.weight}/${s.weight}`, align: 'right' },
    { header: 'CHECKS (CANARY)', cell: (s) => s.checks.map(checkText).join(', ') || '-', flex: true },
    { header: 'FAILED', cell: (s) => String(s.failedChecks), align: 'right' },
    { header: 'USERS SINCE LAST STEP', cell: (s) => usersText(s.users), flex: true },
  ], layout));
  lines.push('');
  const after = w.afterRollback ? `; users after: ${usersText(w.afterRollback)}` : '';
  if (w.outcome === 'rolled back' && w.kind === 'Canary') lines.push(c.red(`rolled back: the checks failed ${w.steps.at(-2)?.failedChecks ?? ''} times by step ${w.failedAtStep} (threshold reached); the next tick routed everything to ${w.stable}`) + after);
  else if (w.outcome === 'rolled back') lines.push(c.red(`aborted at step ${w.failedAtStep}: the gate failed at the end of its pause; everything went back to ${w.stable}`) + after);
  else if (w.outcome === 'promoted') lines.push(c.green(w.kind === 'Canary' ? `promoted at step ${w.steps.at(-1)?.step}: every check passed up to the maximum weight; Flagger now copies ${w.target} onto ${w.stable}` : `promoted after step ${(w.steps.at(-1)?.step ?? 1) - 1}: every pause passed the gate; the canary becomes the stable version`));
  else if (w.outcome === 'paused') lines.push(`paused at step ${w.steps.at(-1)?.step} until someone promotes it (kubectl argo rollouts promote ${w.canary}); the walk stops here`);
  else lines.push(`the traffic ended before the analysis did (at step ${w.steps.at(-1)?.step}): give the Simulation's traffic a longer duration`);
  return lines.join('\n');
}

function checkText(k: GateCheck): string {
  const name = k.metric === 'request-success-rate' ? 'success' : 'p99';
  const value = k.value === null ? 'no values' : k.metric === 'request-success-rate' ? `${k.value} %` : `${k.value} ms`;
  return `${name} ${value} ${k.passed ? '✓' : `✗ (${k.threshold})`}`;
}

function usersText(u: WindowStats): string {
  return u.requests === 0 ? 'no requests' : `${u.requests} requests, ${u.successPercent} % ok, p99 ${u.p99Ms} ms`;
}
