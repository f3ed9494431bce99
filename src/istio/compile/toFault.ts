import { type FaultXds, type HTTPFaultInjection, parseDuration } from '../../model/index.ts';

/**
 * VirtualService `fault` → the client-side fault filter config (§2.6,
 * istiod `TranslateFault`). An omitted percentage means 0 %: nothing is
 * injected. The deprecated integer `percent` still counts for delays. gRPC
 * aborts and delays without `fixedDelay` are not simulated (the lint reports
 * them); a fault with nothing left is undefined.
 */
export function toFault(fault: HTTPFaultInjection | undefined): FaultXds | undefined {
  if (!fault) return undefined;
  const out: FaultXds = {};
  const delay = fault.delay;
  const fixed = delay?.fixedDelay === undefined ? undefined : parseDuration(delay.fixedDelay);
  if (delay && fixed !== undefined) {
    const percent = delay.percentage !== undefined ? (delay.percentage.value ?? 0) : (delay.percent ?? 0);
    out.delay = { fixed, percent };
  }
  const abort = fault.abort;
  if (abort?.httpStatus !== undefined) {
    out.abort = { httpStatus: abort.httpStatus, percent: abort.percentage?.value ?? 0 };
  }
  return out.delay || out.abort ? out : undefined;
}
