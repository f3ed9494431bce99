/**
 * Queue entries of the simulation kernel: plain data, never closures, so a
 * queue can be inspected and snapshotted. An entry is a kind (below), two
 * numbers `a` and `b`, and for a few kinds a payload; the comment on each
 * kind says what they hold. The hot kinds carry no payload, so scheduling
 * them allocates nothing.
 */
export const Task = {
  /** a: request id. The request reaches its own sidecar. */
  requestOutbound: 1,
  /** a: request id. An injected delay is over. */
  requestAfterFault: 2,
  /** a: request id. A caller without a sidecar dials kube-proxy's pick. */
  requestDirect: 3,
  /** a: connection id. */
  connReady: 4,
  /** a: connection id; b: 1 when the TLS handshake failed, 0 when refused. */
  connRefused: 5,
  /** a: attempt id. */
  serverArrive: 6,
  /** a: server id. */
  appReceive: 7,
  /** a: server id. */
  appWork: 8,
  /** a: server id; b: status. */
  appRespond: 9,
  /** a: server id; b: status; payload: `{ flag, detail }` when the sidecar answers itself. */
  serverRespond: 10,
  /** a: server id. */
  appReset: 11,
  /** a: attempt id; b: status, or -1 for a reset; payload: the detail, when there is one. */
  responseArrive: 12,
  /** a: request id. */
  requestDeliver: 13,
  /** a: request id. */
  retryFire: 14,
  /** payload: the `AppCallTimeout` timer. */
  appCallTimeout: 15,
  /** payload: the `PerTryTimeout` timer. */
  perTryTimeout: 16,
  /** payload: the `RouteTimeout` timer. */
  routeTimeout: 17,
  /** payload: the sidecar's pod and the cluster. */
  outlierTick: 18,
  /** a: traffic source index; b: the request's index in it. */
  trafficOpen: 19,
  /** a: timeline entry index. */
  timeline: 20,
  /** a: config version. */
  configPush: 21,
  /** payload: the pod (a string). */
  certRotate: 22,
  /** a: request id. Ambient (§11): the request reaches the caller's node ztunnel (ambient.ts). */
  ztunnelOutbound: 23,
  /** a: request id. Ambient: the request reaches its waypoint through the HBONE tunnel. */
  waypointArrive: 24,
  /** a: request id. Ambient: the waypoint's answer reaches the caller's node ztunnel. */
  ztunnelReturn: 25,
  /** payload: the client proxy's pod and the cluster. A Linkerd backend's queue looks at its endpoints again (failFast.ts). */
  failFastWake: 26,
} as const;

/** `responseArrive`'s `b` for a reset (no status came back). */
export const RESET = -1;

export type TaskKind = (typeof Task)[keyof typeof Task];

/** The name of each kind, for inspection (`Simulation.queued`). */
export const TASK_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(Task).map(([name, kind]) => [kind, name]));

/** Timers carry `done`: set when they fire or their owner cancels them (see timers.ts). */
export type AppCallTimeout = { serverId: number; call: number; childId: number; done: boolean };
export type PerTryTimeout = { attemptId: number; done: boolean };
export type RouteTimeout = { requestId: number; done: boolean };
export type TimerTask = AppCallTimeout | PerTryTimeout | RouteTimeout;

/** What a sidecar's own answer adds to `serverRespond`. */
export interface SidecarAnswer {
  flag: string;
  detail: string;
}

export interface OutlierTickTarget {
  proxy: string;
  cluster: string;
}

export type TaskPayload = TimerTask | SidecarAnswer | OutlierTickTarget | string;
