import type { FailureMode } from './scenario.ts';
import type { Micros } from './units.ts';
import type { RouteOrigin } from './xds.ts';

/**
 * The one event stream of a simulation. The UI animates it, `meshviz send`
 * prints it, telemetry folds it. Every event has the virtual time, the request
 * it belongs to (0 for mesh-wide events), the attempt number at the client
 * sidecar (1 = first try, 0 = not about an attempt), and where it happened.
 */
export type Where =
  | { kind: 'app'; pod: string }
  | { kind: 'sidecar'; pod: string }
  | { kind: 'wire'; from: string; to: string }
  /** An ambient node proxy, acting for `pod` (the pod whose traffic it carries). */
  | { kind: 'ztunnel'; node: string; pod: string }
  /** An ambient waypoint (`namespace/name`). */
  | { kind: 'waypoint'; name: string }
  | { kind: 'client'; name: string }
  | { kind: 'mesh' };

interface Base {
  t: Micros;
  requestId: number;
  attempt: number;
  where: Where;
}

/**
 * The Envoy response flags the engine sets (§8.1), in the order Envoy prints
 * them: `ResponseFlagUtils::ALL_RESPONSE_STRINGS_FLAGS` (Envoy src
 * source/common/stream_info/utility.h), which follows the flag bits. It is not
 * the order of the docs table in §8.1: Envoy logs `UT,URX` and `UF,URX` (as
 * §1.7 shows) and `UT,DI,FI` (Envoy's utility_test).
 */
export const RESPONSE_FLAGS = ['UH', 'UT', 'LR', 'UR', 'UF', 'UC', 'UO', 'NR', 'DI', 'FI', 'DC', 'URX', 'NC'] as const;

export type ResponseFlag = (typeof RESPONSE_FLAGS)[number];

/**
 * The words Linkerd's proxy uses for a failure it made itself (the `error`
 * label of its route metrics, linkerd2-proxy
 * `outbound/src/http/logical/policy/route/metrics/labels.rs`): a Linkerd
 * proxy's answers carry one of these instead of Envoy's flags.
 */
export const PROXY_ERRORS = ['FAIL_FAST', 'LOAD_SHED', 'REQUEST_TIMEOUT', 'RESPONSE_HEADERS_TIMEOUT'] as const;

export type ProxyError = (typeof PROXY_ERRORS)[number];

/** Why an earlier route rule did not match (the first failing condition). */
export interface RouteMiss {
  route: string;
  reason: string;
}

export type MeshEvent = Base &
  (
    | {
        kind: 'request.start';
        /** Who asked: a traffic generator or an app serving a parent request. */
        origin: { kind: 'traffic'; name: string } | { kind: 'app'; parentId: number; call: number } | { kind: 'mirror'; parentId: number };
        /** W3C trace context the request carries when it leaves the app, if any. */
        traceparent?: string;
        /** Whether the caller has a sidecar (else kube-proxy picks a pod, and no mesh feature applies). */
        viaSidecar: boolean;
        fromPod: string;
        fromWorkload: string;
        host: string;
        port: number;
        method: string;
        path: string;
        headers: Record<string, string>;
        /** The request came in through a gateway proxy: the server that took it and what it did with the client's TLS. */
        ingress?: { gateway: string; server: string; listener: string; protocol: string; tls: string };
      }
    | { kind: 'route.match'; virtualHost: string; route: string; origin: RouteOrigin; misses: RouteMiss[] }
    | { kind: 'route.none'; virtualHost: string; misses: RouteMiss[] }
    /** `draw`: the router's uniform draw in [0, sum of weights) that picked `cluster`, when there was more than one to pick from. */
    | { kind: 'route.cluster'; cluster: string; weights: Array<{ cluster: string; weight: number }>; draw?: number }
    /** The request's own `x-envoy-*` headers changed the route's retries or timeouts. */
    | { kind: 'route.overrides'; changes: string[] }
    | { kind: 'fault.delay'; delay: Micros; percent: number }
    | { kind: 'fault.abort'; status: number; percent: number }
    | { kind: 'mirror.send'; cluster: string; shadowId: number }
    | { kind: 'trace.start'; traceId: string; reason: string }
    | { kind: 'mtls.reject'; pod: string; mode: 'STRICT' | 'DISABLE'; reason: string }
    | { kind: 'authz.allow'; pod: string; reason: string }
    /** `tcp`: on a port the sidecar carries as TCP, where the denial closes the connection (no 403). */
    | { kind: 'authz.deny'; pod: string; policy: string; reason: string; tcp?: true }
    | { kind: 'cluster.missing'; cluster: string }
    | {
        kind: 'lb.pick';
        cluster: string;
        endpoint: string;
        policy: string;
        reason: string;
        healthy: number;
        total: number;
        /** Locality failover: the priority drawn and each priority's load in percent. */
        locality?: { priority: number; load: number[] };
        /** `distribute`: the locality the weighted round robin picked, its effective weight and the sum of all. */
        weighted?: { locality: string; weight: number; total: number };
      }
    /** `failureAccrual`: the endpoints are Linkerd's unavailable ones, not Envoy's ejected ones. */
    | { kind: 'lb.noHealthy'; cluster: string; ejected: number; total: number; failureAccrual?: true }
    | { kind: 'pool.overflow'; cluster: string; limit: 'maxConnections' | 'maxPendingRequests' | 'maxRequests' | 'maxRetries' }
    | { kind: 'pool.pending'; cluster: string; pending: number }
    /** Linkerd: no endpoint can take the request now; it waits in the backend's queue (`waiting` there with it) until one can, or the queue fails fast at `failFastAt`. */
    | { kind: 'queue.wait'; cluster: string; waiting: number; failFastAt: Micros }
    /** Linkerd: the route's distributor passes over this backend: its queue is in fail-fast (gate shut) or full; another backend is drawn, or the request is shed (LOAD_SHED). */
    | { kind: 'queue.gateShut'; cluster: string; reason: 'failFast' | 'full' }
    | { kind: 'conn.open'; cluster: string; endpoint: string; connection: number; mtls: boolean; setup: Micros; http2?: true; /** TLS the proxy originates with the user's certificates (a DestinationRule's SIMPLE or MUTUAL). */ tls?: 'SIMPLE' | 'MUTUAL' }
    | { kind: 'conn.reuse'; cluster: string; endpoint: string; connection: number; streams?: number }
    | { kind: 'conn.refused'; endpoint: string }
    | { kind: 'conn.close'; endpoint: string; connection: number; reason: string }
    | { kind: 'hop.send'; toPod: string; mtls: boolean; direction: 'request' | 'response'; /** TLS originated by the client proxy (not Istio mTLS). */ tls?: 'SIMPLE' | 'MUTUAL' }
    | {
        kind: 'hop.arrive';
        pod: string;
        fromPod: string;
        mtls: boolean;
        /** TLS originated by the client proxy (not Istio mTLS). */
        tls?: 'SIMPLE' | 'MUTUAL';
        /** SPIFFE identities the two ends presented, under mTLS. */
        identities?: { client: string; server: string };
      }
    /**
     * Ambient (§11): the bytes enter or leave a ztunnel or a waypoint over an
     * HBONE tunnel (mTLS, HTTP CONNECT, port 15008). `from`/`to` name the ends
     * (`app <pod>`, `ztunnel <node>`, `waypoint <ns/name>`); the first hop, app
     * to its node's ztunnel, is plain and local (`hbone: false`).
     */
    | { kind: 'ambient.hop'; from: string; to: string; direction: 'request' | 'response'; hbone: boolean; port: number }
    | { kind: 'app.receive'; pod: string }
    | { kind: 'app.fail'; pod: string; mode: FailureMode }
    | { kind: 'app.respond'; pod: string; status: number }
    | { kind: 'app.callFailed'; pod: string; childId: number; status: number; onFailure: 'fail' | 'continue' }
    | { kind: 'app.retry'; pod: string; childId: number; retry: number }
    | { kind: 'app.timeout'; pod: string; childId: number; timeout: Micros }
    | {
        kind: 'inbound.complete';
        pod: string;
        sourceWorkload: string;
        destinationWorkload: string;
        destinationService: string;
        status: number;
        duration: Micros;
        /** Mirrored (shadow) traffic: the caller never sees the answer. */
        shadow: boolean;
        mtls: boolean;
        sourcePrincipal?: string;
        destinationPrincipal?: string;
      }
    | { kind: 'attempt.result'; endpoint: string; status: number; flags: ResponseFlag[]; detail: string }
    | { kind: 'attempt.timeout'; endpoint: string; timeout: Micros }
    | { kind: 'retry.backoff'; retry: number; delay: Micros; range: [Micros, Micros]; reason: string }
    | { kind: 'retry.overflow'; cluster: string }
    | { kind: 'retry.exhausted'; retries: number }
    /** A Linkerd ServiceProfile retry budget refused a retry (§10.1); `balance` is what was left. */
    | { kind: 'retry.budget'; cluster: string; balance: number }
    | { kind: 'route.timeout'; timeout: Micros }
    | { kind: 'outlier.eject'; clientPod: string; cluster: string; endpoint: string; duration: Micros; ejections: number; reason: string }
    | { kind: 'outlier.ejectSkipped'; clientPod: string; cluster: string; endpoint: string; reason: string }
    | { kind: 'outlier.uneject'; clientPod: string; cluster: string; endpoint: string; ejectedFor: Micros }
    /** Linkerd failure accrual (§10.4): the endpoint is unavailable for `duration` (the `penalty`-th back-off in a row, from 1). */
    | { kind: 'accrual.unavailable'; clientPod: string; cluster: string; endpoint: string; duration: Micros; penalty: number; reason: string }
    /** Its back-off is over: one request is let through as a probe. */
    | { kind: 'accrual.probe'; clientPod: string; cluster: string; endpoint: string }
    /** The probe succeeded: the endpoint is available again and its back-off starts over. */
    | { kind: 'accrual.available'; clientPod: string; cluster: string; endpoint: string }
    | { kind: 'timeline.fail'; pods: string[]; mode: FailureMode }
    | { kind: 'timeline.recover'; pods: string[] }
    | { kind: 'config.change'; change: string; version: number }
    | { kind: 'config.push'; pod: string; version: number }
    | { kind: 'config.rejected'; change: string; reason: string }
    | { kind: 'controlPlane.down' }
    | { kind: 'controlPlane.up' }
    | { kind: 'cert.issue'; pod: string; spiffeId: string; notAfter: Micros }
    | { kind: 'cert.expired'; pod: string; spiffeId: string }
    | {
        kind: 'request.end';
        /** 0 when no HTTP response came back at all (connection reset, like curl's 000). */
        status: number;
        flags: ResponseFlag[];
        /** A Linkerd proxy's word for a failure it made (no Envoy flags then). */
        error?: ProxyError;
        duration: Micros;
        attempts: number;
        detail: string;
      }
  );

export type MeshEventKind = MeshEvent['kind'];

export type MeshEventOf<K extends MeshEventKind> = Extract<MeshEvent, { kind: K }>;
