import { formatDuration, type Micros, type OutlierXds } from '../../model/index.ts';

/**
 * One client proxy's outlier-detection memory for one endpoint (§3.2–§3.4),
 * plain data. `ejectionMultiplier` is Envoy's `ejectTimeBackoff` (k).
 */
export interface OutlierHostState {
  consecutive5xx: number;
  consecutiveGateway: number;
  /** Split mode only: connect failures, resets and timeouts in a row. */
  consecutiveLocalOrigin: number;
  ejected: boolean;
  ejectedAt: Micros;
  ejectionMultiplier: number;
  /** Total enforced ejections so far (the event's `ejections`). */
  ejections: number;
}

export type OutlierTrigger = 'consecutive5xx' | 'consecutiveGateway' | 'consecutiveLocalOrigin';

/** Where a failure came from: the proxy itself (connect failure, reset, timeout) or the upstream's answer. */
export type ResultOrigin = 'local' | 'external';

export type EjectDecision = { kind: 'eject'; duration: Micros; reason: string } | { kind: 'skip'; reason: string };

export function createOutlierHost(): OutlierHostState {
  return { consecutive5xx: 0, consecutiveGateway: 0, consecutiveLocalOrigin: 0, ejected: false, ejectedAt: 0, ejectionMultiplier: 0, ejections: 0 };
}

/**
 * Result of one attempt against this host, as an HTTP status (local-origin
 * failures mapped: connect failure/reset → 503, timeout → 504 — §3.2) and
 * where it came from. In split mode a local-origin failure counts only
 * towards the local-origin threshold, and an upstream answer (the connect
 * worked) resets that counter. Mutates `host` counters. Returns which
 * threshold was reached exactly (==), if any. When one 502/503/504 brings
 * both the 5xx and gateway counters to their thresholds, this reports
 * `consecutiveGateway` (Envoy handles it first) and `decideEjection` then
 * handles both.
 */
export function recordResult(host: OutlierHostState, cfg: OutlierXds, status: number, origin: ResultOrigin = 'external'): { trigger?: OutlierTrigger } {
  if (cfg.localOrigin) {
    if (origin === 'local') {
      host.consecutiveLocalOrigin += 1;
      return host.consecutiveLocalOrigin === cfg.localOrigin.consecutive ? { trigger: 'consecutiveLocalOrigin' } : NO_TRIGGER;
    }
    host.consecutiveLocalOrigin = 0;
  }
  if (status < 500 || status > 599) {
    host.consecutive5xx = 0;
    host.consecutiveGateway = 0;
    return NO_TRIGGER;
  }
  if (status === 502 || status === 503 || status === 504) host.consecutiveGateway += 1;
  else host.consecutiveGateway = 0;
  host.consecutive5xx += 1;
  const reached = triggersReached(host, cfg);
  return reached.length > 0 ? { trigger: reached[0] as OutlierTrigger } : NO_TRIGGER;
}

/** What `recordResult` returns when nothing is reached (shared, never written). */
const NO_TRIGGER: { trigger?: OutlierTrigger } = Object.freeze({});

/**
 * Called when `recordResult` triggered; works out which thresholds are
 * reached from the counters themselves. For each, in Envoy's order
 * (gateway, then 5xx): reset that counter, check max-ejection-percent as
 * modern Envoy does (§3.3: (ejected+1)/total × 100 ≤ max, no first-host
 * exception), then the enforcing percentage against `enforceRoll` (a uniform
 * [0,100) draw by the caller, shared by both checks). On eject, raises k if
 * k × base < max + base (§3.4) and mutates `host` (ejected, ejectedAt = now,
 * ejections + 1). A host that is already ejected is left untouched, as
 * Envoy's `onConsecutiveErrorWorker` returns early.
 */
export function decideEjection(
  host: OutlierHostState,
  cfg: OutlierXds,
  now: Micros,
  ejectedCount: number,
  totalHosts: number,
  enforceRoll: number,
): EjectDecision {
  if (host.ejected) return { kind: 'skip', reason: 'already ejected' };
  const reached = triggersReached(host, cfg);
  if (reached.length === 0) return { kind: 'skip', reason: 'no threshold reached' };
  const skipped: string[] = [];
  for (const trigger of reached) {
    const what = describeTrigger(trigger, cfg);
    if (trigger === 'consecutive5xx') host.consecutive5xx = 0;
    else if (trigger === 'consecutiveGateway') host.consecutiveGateway = 0;
    else host.consecutiveLocalOrigin = 0;
    const maxPct = Math.min(100, cfg.maxEjectionPercent);
    const after = ejectedCount + 1;
    if (after * 100 > maxPct * totalHosts) {
      skipped.push(`${what}, but ejecting would leave ${after} of ${totalHosts} hosts ejected, over maxEjectionPercent ${maxPct} %`);
      continue;
    }
    // istiod enforces the local-origin threshold at 100 % (§3.5).
    const enforcing = trigger === 'consecutive5xx' ? cfg.enforcing5xx : trigger === 'consecutiveGateway' ? cfg.enforcingGatewayFailure : 100;
    if (!(enforceRoll < enforcing)) {
      skipped.push(`${what}, but enforcing is ${enforcing} %: detected, not ejected`);
      continue;
    }
    const base = cfg.baseEjectionTime;
    if (host.ejectionMultiplier * base < maxEjectionTime(cfg) + base) host.ejectionMultiplier += 1;
    host.ejected = true;
    host.ejectedAt = now;
    host.ejections += 1;
    const duration = ejectionDuration(cfg, host.ejectionMultiplier);
    return {
      kind: 'eject',
      duration,
      reason: `${what}: ejected for ${formatDuration(duration)} (base ${formatDuration(base)} × ${host.ejectionMultiplier}), ${after} of ${totalHosts} hosts now ejected`,
    };
  }
  return { kind: 'skip', reason: skipped.join('; ') };
}

/**
 * One interval tick (§3.4): ejected hosts whose time is up are returned
 * (counters reset); hosts not ejected get k decremented (not below 0).
 * Un-ejection happens only here, so real ejection time rounds up to the next
 * tick. Mutates hosts. Results are in pod-name order.
 */
export function onIntervalTick(hosts: Record<string, OutlierHostState>, cfg: OutlierXds, now: Micros): Array<{ pod: string; ejectedFor: Micros }> {
  const returned: Array<{ pod: string; ejectedFor: Micros }> = [];
  for (const pod of Object.keys(hosts).sort()) {
    const host = hosts[pod] as OutlierHostState;
    if (!host.ejected) {
      if (host.ejectionMultiplier > 0) host.ejectionMultiplier -= 1;
      continue;
    }
    const elapsed = now - host.ejectedAt;
    if (elapsed < ejectionDuration(cfg, host.ejectionMultiplier)) continue;
    host.ejected = false;
    host.consecutive5xx = 0;
    host.consecutiveGateway = 0;
    host.consecutiveLocalOrigin = 0;
    returned.push({ pod, ejectedFor: elapsed });
  }
  return returned;
}

/** min(base × k, max ejection time), the max never below the base (§3.1, §3.4). Jitter is 0, Istio's default. */
export function ejectionDuration(cfg: OutlierXds, multiplier: number): Micros {
  return Math.min(cfg.baseEjectionTime * multiplier, maxEjectionTime(cfg));
}

function maxEjectionTime(cfg: OutlierXds): Micros {
  return Math.max(cfg.maxEjectionTime, cfg.baseEjectionTime);
}

/** Thresholds reached exactly, in the order Envoy posts them. A threshold of 0 is off. */
function triggersReached(host: OutlierHostState, cfg: OutlierXds): OutlierTrigger[] {
  const reached: OutlierTrigger[] = [];
  if (cfg.consecutiveGatewayFailure > 0 && host.consecutiveGateway === cfg.consecutiveGatewayFailure) reached.push('consecutiveGateway');
  if (cfg.consecutive5xx > 0 && host.consecutive5xx === cfg.consecutive5xx) reached.push('consecutive5xx');
  if (cfg.localOrigin && host.consecutiveLocalOrigin === cfg.localOrigin.consecutive) reached.push('consecutiveLocalOrigin');
  return reached;
}

function describeTrigger(trigger: OutlierTrigger, cfg: OutlierXds): string {
  switch (trigger) {
    case 'consecutive5xx':
      return `${cfg.consecutive5xx} consecutive 5xx`;
    case 'consecutiveGateway':
      return `${cfg.consecutiveGatewayFailure} consecutive gateway errors`;
    case 'consecutiveLocalOrigin':
      return `${cfg.localOrigin?.consecutive ?? 0} consecutive local-origin failures (connect failures, resets, timeouts)`;
  }
}
