import type { EdgeTally, Micros, RequestTally, ResponseFlag, RunCounters } from '../../model/index.ts';

/** Two counters fed the same calls: the report's and another reader's (expectations). */
export function teeCounters(a: RunCounters, b: RunCounters): RunCounters {
  return {
    requestTally: (fromWorkload: string, host: string, traffic: string | undefined): RequestTally => [a.requestTally(fromWorkload, host, traffic), b.requestTally(fromWorkload, host, traffic)],
    requestStarted: (tally: RequestTally): void => {
      const [ta, tb] = tally as [RequestTally, RequestTally];
      a.requestStarted(ta);
      b.requestStarted(tb);
    },
    requestEnded: (tally: RequestTally, status: number, flags: readonly ResponseFlag[], duration: Micros, attempts: number): void => {
      // A request that started before the counters were attached has no tally (see RunCounters).
      if (tally === undefined) return;
      const [ta, tb] = tally as [RequestTally, RequestTally];
      a.requestEnded(ta, status, flags, duration, attempts);
      b.requestEnded(tb, status, flags, duration, attempts);
    },
    edgeTally: (source: string, destination: string, service: string): EdgeTally => [a.edgeTally(source, destination, service), b.edgeTally(source, destination, service)],
    inboundCompleted: (edge: EdgeTally, status: number, duration: Micros): void => {
      const [ea, eb] = edge as [EdgeTally, EdgeTally];
      a.inboundCompleted(ea, status, duration);
      b.inboundCompleted(eb, status, duration);
    },
    retried: (): void => {
      a.retried();
      b.retried();
    },
    ejected: (clientPod: string, cluster: string, endpoint: string, at: Micros): void => {
      a.ejected(clientPod, cluster, endpoint, at);
      b.ejected(clientPod, cluster, endpoint, at);
    },
    unejected: (clientPod: string, cluster: string, endpoint: string, ejectedFor: Micros): void => {
      a.unejected(clientPod, cluster, endpoint, ejectedFor);
      b.unejected(clientPod, cluster, endpoint, ejectedFor);
    },
  };
}
