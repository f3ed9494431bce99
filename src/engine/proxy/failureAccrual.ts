import type { FailureAccrualXds, Micros } from '../../model/index.ts';
import { expBackoff } from './expBackoff.ts';

/**
 * One endpoint as a Linkerd client's consecutive-failures breaker sees it
 * (linkerd2-proxy `outbound/src/http/breaker/consecutive_failures.rs`,
 * §10.4). Plain data; only the functions here change it.
 */
export interface AccrualHostState {
  state: 'available' | 'unavailable' | 'probation';
  /** Failures in a row while available. */
  failures: number;
  /** When the current unavailability ends. */
  until: Micros;
  /** Back-offs taken since the breaker last shut (the next one is the `penalties`-th, from 0). */
  penalties: number;
  /** In probation: the one request let through is on its way. */
  probing: boolean;
}

export function createAccrualHost(): AccrualHostState {
  return { state: 'available', failures: 0, until: 0, penalties: 0, probing: false };
}

export type AccrualChange =
  | { kind: 'none' }
  | { kind: 'unavailable'; duration: Micros; penalty: number; reason: string }
  | { kind: 'available' };

const NONE: AccrualChange = Object.freeze({ kind: 'none' });

/**
 * A response for this endpoint reaches the breaker. Available: a success
 * resets the count, the `maxFailures`-th failure in a row shuts it for the
 * first back-off. Unavailable: ignored (Linkerd drops responses while shut).
 * Probation: the next response decides — success makes it available (and
 * the back-off starts over), failure shuts it for the next, longer back-off.
 * `draw` (uniform in [0, 1)) is the back-off's jitter. Mutates `host`.
 */
export function recordAccrual(host: AccrualHostState, cfg: FailureAccrualXds, success: boolean, now: Micros, draw: number): AccrualChange {
  switch (host.state) {
    case 'unavailable':
      return NONE;
    case 'available':
      if (success) {
        host.failures = 0;
        return NONE;
      }
      host.failures += 1;
      if (host.failures < cfg.maxFailures) return NONE;
      host.penalties = 0;
      return shut(host, cfg, now, draw, `${cfg.maxFailures} consecutive failures`);
    case 'probation':
      host.probing = false;
      if (success) {
        host.state = 'available';
        host.failures = 0;
        host.penalties = 0;
        return { kind: 'available' };
      }
      return shut(host, cfg, now, draw, 'the probe request failed');
    default:
      return assertNever(host.state);
  }
}

function shut(host: AccrualHostState, cfg: FailureAccrualXds, now: Micros, draw: number, reason: string): AccrualChange {
  const duration = expBackoff(cfg.minPenalty, cfg.maxPenalty, cfg.jitterRatio, host.penalties, draw);
  host.penalties += 1;
  host.state = 'unavailable';
  host.failures = 0;
  host.until = now + duration;
  return { kind: 'unavailable', duration, penalty: host.penalties, reason };
}

/**
 * Whether the balancer may send this endpoint a request now: available, or
 * in probation with its one request not yet taken. An unavailable endpoint
 * whose back-off is over enters probation here. Mutates `host.state`.
 */
export function accrualAdmits(host: AccrualHostState, now: Micros): boolean {
  if (host.state === 'unavailable' && now >= host.until) host.state = 'probation';
  if (host.state === 'available') return true;
  return host.state === 'probation' && !host.probing;
}

/** A request goes to an endpoint in probation: it is the probe, and no other is let through. */
export function takeProbe(host: AccrualHostState): boolean {
  if (host.state !== 'probation' || host.probing) return false;
  host.probing = true;
  return true;
}

function assertNever(value: never): never {
  throw new Error(`unexpected accrual state ${String(value)}`);
}
