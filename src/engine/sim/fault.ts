import type { FaultXds } from '../../model/index.ts';
import { Task } from './Task.ts';
import { emitFor, finishRequest, watching } from './request.ts';
import type { ProxyRuntime, RequestState, World } from './World.ts';
import { clientProxyWhere } from './ambient.ts';

/**
 * The client-side fault filter (§2.6). It runs before the router: a delay
 * holds the request (flag DI) before the route timeout starts; an abort
 * answers locally (flag FI) and the router never sees it, so it is never
 * retried by this proxy. Delay and abort are drawn independently.
 * Returns true when the request continues to the router now.
 */
export function applyFault(w: World, proxy: ProxyRuntime, req: RequestState, fault: FaultXds | undefined): boolean {
  if (!fault) return true;
  const where = clientProxyWhere(req);
  const rng = proxy.rng.fault;
  if (fault.delay && fault.delay.percent > 0 && rng.next() * 100 < fault.delay.percent) {
    req.flags = [...req.flags, 'DI'];
    if (watching(w)) emitFor(w, req, where, { kind: 'fault.delay', delay: fault.delay.fixed, percent: fault.delay.percent });
    w.queue.push(w.now + fault.delay.fixed, Task.requestAfterFault, req.id);
    return false;
  }
  return !abortNow(w, proxy, req, fault);
}

/** After an injected delay: the abort is still decided, then the router runs. */
export function abortNow(w: World, proxy: ProxyRuntime, req: RequestState, fault: FaultXds | undefined): boolean {
  const abort = fault?.abort;
  if (!abort || abort.percent <= 0 || !(proxy.rng.fault.next() * 100 < abort.percent)) return false;
  if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'fault.abort', status: abort.httpStatus, percent: abort.percent });
  finishRequest(w, req, abort.httpStatus, ['FI'], 'fault filter abort');
  return true;
}
