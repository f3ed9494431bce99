import type { Micros } from '../../model/index.ts';
import type { Rng } from '../kernel/Rng.ts';

/**
 * One endpoint's round-trip estimate, as tower's `PeakEwma` keeps it
 * (`tower/src/load/peak_ewma.rs`, §10.3): µs (a float), and when it was last
 * updated. Made with the default RTT when the balancer first sees the endpoint.
 */
export interface RttEstimate {
  rtt: number;
  at: Micros;
}

export function createRttEstimate(defaultRtt: Micros, now: Micros): RttEstimate {
  return { rtt: defaultRtt, at: now };
}

/**
 * Records an observed round trip (`RttEstimate::update`): a slower one than
 * the estimate becomes the estimate at once (the peak); a faster one pulls it
 * down by how long it has been: est × e^(−Δt/decay) + rtt × (1 − e^(−Δt/decay)).
 * Mutates `estimate`.
 */
export function observeRtt(estimate: RttEstimate, rtt: Micros, now: Micros, decay: Micros): number {
  if (estimate.rtt < rtt) {
    estimate.rtt = rtt;
  } else {
    const kept = Math.exp(-Math.max(0, now - estimate.at) / decay);
    estimate.rtt = estimate.rtt * kept + rtt * (1 - kept);
  }
  estimate.at = now;
  return estimate.rtt;
}

/**
 * The balancer's cost of an endpoint (`PeakEwma::load`): reading it first
 * decays the estimate towards 0 for the time since its last update (an
 * update with a zero RTT, as tower does), then cost = estimate × (pending + 1).
 * Mutates `estimate`.
 */
export function peakEwmaCost(estimate: RttEstimate, pending: number, now: Micros, decay: Micros): number {
  return observeRtt(estimate, 0, now, decay) * (pending + 1);
}

/** What the balancer compares: an endpoint, its requests in flight and its estimate. */
export interface EwmaHost {
  pod: string;
  activeRequests: number;
  ewma?: RttEstimate;
}

export interface EwmaPick<H extends EwmaHost> {
  host: H;
  reason: string;
}

/**
 * Linkerd's P2C (linkerd2-proxy `linkerd/pool/p2c/src/lib.rs`): two distinct
 * endpoints drawn at random, the one of lower Peak-EWMA cost taken (the first
 * on a tie). `hosts` has at least two entries; estimates are made on first use.
 */
export function pickPeakEwma<H extends EwmaHost>(hosts: readonly H[], rng: Rng, now: Micros, defaultRtt: Micros, decay: Micros, explain: boolean): EwmaPick<H> {
  const a = rng.int(hosts.length);
  let b = rng.int(hosts.length - 1);
  if (b >= a) b += 1;
  const first = hosts[a] as H;
  const second = hosts[b] as H;
  const costA = peakEwmaCost((first.ewma ??= createRttEstimate(defaultRtt, now)), first.activeRequests, now, decay);
  const costB = peakEwmaCost((second.ewma ??= createRttEstimate(defaultRtt, now)), second.activeRequests, now, decay);
  const host = costA <= costB ? first : second;
  if (!explain) return { host, reason: '' };
  const show = (h: H, cost: number) => `${h.pod} (cost ${formatCost(cost)}: ${formatCost(h.ewma?.rtt ?? 0)} × ${h.activeRequests + 1})`;
  return { host, reason: `P2C peak-EWMA: drew ${show(first, costA)} and ${show(second, costB)}, took ${host.pod}` };
}

/** A cost or estimate in ms with two decimals (estimates are µs). */
export function formatCost(micros: number): string {
  return `${(micros / 1000).toFixed(2)} ms`;
}
