/**
 * Queue entries of the simulation kernel: plain records, never closures, so a
 * queue can be inspected and snapshotted. Each names its handler by `kind`.
 */
export type Task =
  | { kind: 'request.outbound'; requestId: number }
  | { kind: 'request.afterFault'; requestId: number }
  | { kind: 'config.push'; version: number }
  | { kind: 'cert.rotate'; pod: string }
  | { kind: 'request.direct'; requestId: number }
  | { kind: 'conn.ready'; connectionId: number }
  | { kind: 'conn.refused'; connectionId: number; reason: 'refused' | 'tls' }
  | { kind: 'server.arrive'; attemptId: number }
  | { kind: 'app.receive'; serverId: number }
  | { kind: 'app.work'; serverId: number }
  | { kind: 'app.respond'; serverId: number; status: number }
  | { kind: 'server.respond'; serverId: number; status: number; flag?: string; detail?: string }
  | { kind: 'app.reset'; serverId: number }
  | AppCallTimeout
  | { kind: 'response.arrive'; attemptId: number; status: number; reset: boolean; detail: string }
  | { kind: 'request.deliver'; requestId: number }
  | PerTryTimeout
  | RouteTimeout
  | { kind: 'retry.fire'; requestId: number }
  | { kind: 'outlier.tick'; proxy: string; cluster: string }
  | { kind: 'traffic.open'; traffic: number; index: number }
  | { kind: 'timeline'; index: number };

/** Timers carry `done`: set when they fire or their owner cancels them (see timers.ts). */
export type AppCallTimeout = { kind: 'app.callTimeout'; serverId: number; call: number; childId: number; done: boolean };
export type PerTryTimeout = { kind: 'attempt.perTryTimeout'; attemptId: number; done: boolean };
export type RouteTimeout = { kind: 'request.routeTimeout'; requestId: number; done: boolean };
export type TimerTask = AppCallTimeout | PerTryTimeout | RouteTimeout;
