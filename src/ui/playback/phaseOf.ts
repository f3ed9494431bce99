import type { MeshEvent } from '../../model/index.ts';

/** What a request's dot shows after an event: on its way out, coming back, or waiting out a retry back-off. */
export type Phase = 'request' | 'response' | 'backoff';

/**
 * The phase a request is in right after `event`, given the phase before it.
 * Pure presentation: it reads which way the bytes go from the event kind.
 */
export function phaseAfter(event: MeshEvent, before: Phase): Phase {
  switch (event.kind) {
    case 'request.start':
    case 'lb.pick':
    case 'app.receive':
      return 'request';
    case 'hop.send':
      return event.direction === 'request' ? 'request' : 'response';
    case 'retry.backoff':
      return 'backoff';
    case 'app.respond':
    case 'inbound.complete':
    case 'attempt.result':
    case 'attempt.timeout':
    case 'route.timeout':
    case 'route.none':
    case 'cluster.missing':
    case 'lb.noHealthy':
    case 'pool.overflow':
    case 'retry.exhausted':
    case 'retry.overflow':
    case 'mtls.reject':
    case 'authz.deny':
    case 'fault.abort':
    case 'request.end':
      return 'response';
    default:
      return before;
  }
}

/** Whether an event shows the request going wrong (a failing answer or a local reply). */
export function isErrorEvent(event: MeshEvent): boolean {
  switch (event.kind) {
    case 'app.respond':
    case 'inbound.complete':
    case 'attempt.result':
    case 'request.end':
      return event.status === 0 || event.status >= 500;
    case 'app.fail':
    case 'lb.noHealthy':
    case 'pool.overflow':
    case 'route.none':
    case 'cluster.missing':
    case 'attempt.timeout':
    case 'route.timeout':
    case 'mtls.reject':
    case 'authz.deny':
    case 'fault.abort':
      return true;
    default:
      return false;
  }
}
