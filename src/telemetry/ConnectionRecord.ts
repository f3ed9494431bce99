import type { Micros } from '../model/index.ts';

/**
 * One TCP connection as a ztunnel counts it (Istio ambient, §11): ztunnel
 * never parses HTTP, so what it reports of a request is the connection
 * that carried it — opened, closed, and the bytes each way. Handed to a
 * `RecordListener` by `RequestRecorder`; reused from one call to the next.
 *
 * meshviz's apps open one connection per call (there is no app-side
 * keep-alive to reuse), so each request is one connection at its caller's
 * ztunnel (`reporter: 'source'`) and each attempt that reaches a pod
 * served by a ztunnel one there (`reporter: 'destination'`).
 */
export interface ConnectionRecord {
  reporter: 'source' | 'destination';
  /** The connection's source: a pod, a traffic client's name, or a waypoint's key (`waypoint/<ns>/<name>`) when the waypoint opened it. */
  source: string;
  /** Its destination: the pod the bytes reached, or the waypoint's key when the caller's ztunnel tunnelled to a waypoint. */
  destination: string;
  /** The Service the caller addressed (ztunnel's `destination_service`). */
  host: string;
  /** HBONE (mTLS) or plain TCP. */
  mtls: boolean;
  /** The callee's proxy refused the request: a destination ztunnel's L4 policy closes the connection (then no bytes pass), a sidecar answers 403. */
  denied: boolean;
  /** Bytes from the connection's downstream to its upstream (the request), and back (the answer). */
  requestBytes: number;
  responseBytes: number;
  /** The request it carried, the port the caller addressed and the caller's cluster for it (undefined when none was picked). */
  requestId: number;
  port: number;
  cluster: string | undefined;
  /** Opened and closed (a refused one: when its attempt was picked, at once). */
  start: Micros;
  end: Micros;
  /** A destination ztunnel's refusal by a DENY policy: the policy's `AuthorizationPolicy/<ns>/<name>`; undefined when no ALLOW policy matched. */
  deniedBy: string | undefined;
}

/** A record to be filled in and handed over again and again (the recorder's). */
export function emptyConnectionRecord(): ConnectionRecord {
  return {
    reporter: 'source',
    source: '',
    destination: '',
    host: '',
    mtls: false,
    denied: false,
    requestBytes: 0,
    responseBytes: 0,
    requestId: 0,
    port: 0,
    cluster: undefined,
    start: 0,
    end: 0,
    deniedBy: undefined,
  };
}
