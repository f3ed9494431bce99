import { createRng } from '../../src/engine/index.ts';
import type { Rng } from '../../src/engine/index.ts';
import { EventHeap } from './EventHeap.ts';
import { FreeList, grown } from './FreeList.ts';

/*
 * A yardstick for the engine's speed: the smallest discrete-event loop with
 * the request shape of the throughput case, so engine ÷ reference says how
 * much the engine pays for being general.
 *
 * What it models: the default mesh's story. Open-loop traffic into `api`,
 * whose app calls `cache`, then `users` (90 % v1, 10 % v2), and users calls
 * `db`. Each call goes app → loopback → client sidecar → wire → server sidecar
 * → loopback → app (log-normal service time from p50/p99, then its own calls
 * in turn) → back the same way, with the engine's default costs (loopback
 * 50 µs, proxy 600 µs, wire 100 µs). That is eight queue tasks per hop, as in
 * the engine (`request.outbound`, `server.arrive`, `app.receive`, `app.work`,
 * `app.respond`, `server.respond`, `response.arrive`, `request.deliver`), plus
 * one per arrival. users-v1 answers 503 from 15 s to 45 s; the client sidecar
 * retries once, after a jittered back-off, onto the other users host.
 *
 * What it leaves out: routing tables, connection pools and handshakes,
 * timeouts, outlier detection (so v1 keeps taking 90 % of users calls while
 * it fails, where the engine ejects it), headers, traces, telemetry and
 * config changes. It uses no strings, no Maps, and allocates nothing per
 * event: events, requests and attempts live in typed arrays, with free lists.
 */

const LOOPBACK = 50;
const PROXY = 600;
const WIRE = 100;
const SECOND = 1_000_000;
const FAIL_FROM = 15 * SECOND;
const FAIL_UNTIL = 45 * SECOND;
const RETRY_BACKOFF = 25_000;

// Pods, and the services that select them.
const API = 0;
const CACHE = 1;
const USERS_V1 = 2;
const USERS_V2 = 3;
const DB = 4;
const TO_API = 0;
const TO_CACHE = 1;
const TO_USERS = 2;
const TO_DB = 3;

/** Each pod's calls, in order: CALLS[CALL_FROM[pod] .. CALL_FROM[pod + 1]). */
const CALL_FROM = Int8Array.of(0, 2, 2, 3, 4, 4);
const CALLS = Int8Array.of(TO_CACHE, TO_USERS, TO_DB, TO_DB);

/** Log-normal service time per pod, fitted to p50 and p99 as the engine does (μ = ln p50, σ = ln(p99/p50)/z₀.₉₉). */
const Z99 = 2.3263478740408408;
const P50 = Float64Array.of(5000, 1000, 8000, 8000, 3000);
const P99 = Float64Array.of(20000, 1000, 30000, 30000, 12000);
const MU = P50.map(Math.log);
const SIGMA = P50.map((p50, pod) => Math.log((P99[pod] as number) / p50) / Z99);

// Event kinds.
const ARRIVAL = 0;
const OUTBOUND = 1;
const SERVER_ARRIVE = 2;
const APP_RECEIVE = 3;
const APP_WORK = 4;
const APP_RESPOND = 5;
const SERVER_RESPOND = 6;
const RESPONSE_ARRIVE = 7;
const RETRY = 8;
const DELIVER = 9;

export interface ReferenceResult {
  /** Requests the traffic sent (each a tree of calls). */
  requests: number;
  /** Client-sidecar → server-sidecar attempts, retries included. */
  requestHops: number;
  /** Events popped from the heap. */
  tasks: number;
  /** Requests answered with a 5xx. */
  failed: number;
}

export class ReferenceLoop {
  private readonly heap = new EventHeap();
  private readonly requestSlots = new FreeList(1024);
  private readonly attemptSlots = new FreeList(1024);
  // A request: one call from an app (or the traffic) to a service, over its attempts.
  private reqService = new Uint8Array(1024);
  /** The attempt whose app made this call; −1 for the traffic. */
  private reqParent = new Int32Array(1024);
  private reqTries = new Uint8Array(1024);
  private reqHost = new Uint8Array(1024);
  private reqStatus = new Uint16Array(1024);
  // An attempt: one hop, and the callee app's work on it.
  private attReq = new Int32Array(1024);
  private attPod = new Uint8Array(1024);
  private attNextCall = new Uint8Array(1024);
  private attStatus = new Uint16Array(1024);
  /** sfc32, the engine's generator, seeded per run. */
  private rng: Rng = createRng(0, 'reference');
  private now = 0;
  private hops = 0;
  private failed = 0;

  /** Sends `rps` requests a second for `seconds` into api and runs until every one has answered. */
  run(rps: number, seconds: number, seed: number): ReferenceResult {
    this.rng = createRng(seed, 'reference');
    this.heap.clear();
    this.requestSlots.reset();
    this.attemptSlots.reset();
    this.now = 0;
    this.hops = 0;
    this.failed = 0;
    const total = Math.floor(rps * seconds);
    const heap = this.heap;
    if (total > 0) heap.push(0, ARRIVAL, 0);
    let tasks = 0;
    while (heap.pop()) {
      tasks += 1;
      this.now = heap.time;
      const id = heap.id;
      switch (heap.kind) {
        case ARRIVAL:
          if (id + 1 < total) heap.push(Math.floor(((id + 1) * SECOND) / rps), ARRIVAL, id + 1);
          this.call(TO_API, -1);
          break;
        case OUTBOUND:
          this.attempt(id, this.pick(this.reqService[id] as number));
          break;
        case SERVER_ARRIVE:
          heap.push(this.now + PROXY + LOOPBACK, APP_RECEIVE, id);
          break;
        case APP_RECEIVE:
          this.receive(id);
          break;
        case APP_WORK:
          this.work(id);
          break;
        case APP_RESPOND:
          heap.push(this.now + LOOPBACK + PROXY, SERVER_RESPOND, id);
          break;
        case SERVER_RESPOND:
          heap.push(this.now + WIRE, RESPONSE_ARRIVE, id);
          break;
        case RESPONSE_ARRIVE:
          this.response(id);
          break;
        case RETRY:
          this.attempt(id, this.other(this.reqHost[id] as number));
          break;
        case DELIVER:
          this.deliver(id);
          break;
      }
    }
    return { requests: total, requestHops: this.hops, tasks, failed: this.failed };
  }

  /** An app (or the traffic) dials a service: loopback to its sidecar, which routes it. */
  private call(service: number, parent: number): void {
    const req = this.requestSlots.take();
    if (req >= this.reqService.length) this.growRequests();
    this.reqService[req] = service;
    this.reqParent[req] = parent;
    this.reqTries[req] = 0;
    this.heap.push(this.now + LOOPBACK + PROXY, OUTBOUND, req);
  }

  private attempt(req: number, host: number): void {
    const att = this.attemptSlots.take();
    if (att >= this.attReq.length) this.growAttempts();
    this.attReq[att] = req;
    this.attPod[att] = host;
    this.attNextCall[att] = CALL_FROM[host] as number;
    this.attStatus[att] = 200;
    this.reqHost[req] = host;
    this.reqTries[req] = (this.reqTries[req] as number) + 1;
    this.hops += 1;
    this.heap.push(this.now + WIRE, SERVER_ARRIVE, att);
  }

  private receive(att: number): void {
    const pod = this.attPod[att] as number;
    const work = this.serviceTime(pod);
    if (pod === USERS_V1 && this.now >= FAIL_FROM && this.now < FAIL_UNTIL) {
      this.attStatus[att] = 503;
      this.heap.push(this.now + work, APP_RESPOND, att);
    } else {
      this.heap.push(this.now + work, APP_WORK, att);
    }
  }

  /** The app's next call, or its answer once the calls are done (a failed call fails the app). */
  private work(att: number): void {
    const next = this.attNextCall[att] as number;
    if (this.attStatus[att] === 200 && next < (CALL_FROM[(this.attPod[att] as number) + 1] as number)) {
      this.attNextCall[att] = next + 1;
      this.call(CALLS[next] as number, att);
    } else {
      this.heap.push(this.now, APP_RESPOND, att);
    }
  }

  private response(att: number): void {
    const req = this.attReq[att] as number;
    const status = this.attStatus[att] as number;
    this.attemptSlots.give(att);
    if (status >= 500 && this.reqTries[req] === 1) {
      this.heap.push(this.now + 1 + Math.floor(this.rng.next() * RETRY_BACKOFF), RETRY, req);
      return;
    }
    this.reqStatus[req] = status;
    this.heap.push(this.now + PROXY + LOOPBACK, DELIVER, req);
  }

  private deliver(req: number): void {
    const parent = this.reqParent[req] as number;
    const status = this.reqStatus[req] as number;
    this.requestSlots.give(req);
    if (parent < 0) {
      if (status >= 500) this.failed += 1;
      return;
    }
    if (status >= 500) this.attStatus[parent] = 500;
    this.work(parent);
  }

  private pick(service: number): number {
    switch (service) {
      case TO_API:
        return API;
      case TO_CACHE:
        return CACHE;
      case TO_USERS:
        return this.rng.next() < 0.9 ? USERS_V1 : USERS_V2;
      default:
        return DB;
    }
  }

  /** The host a retry goes to: the other users pod; the other services have one. */
  private other(host: number): number {
    if (host === USERS_V1) return USERS_V2;
    if (host === USERS_V2) return USERS_V1;
    return host;
  }

  private serviceTime(pod: number): number {
    const sigma = SIGMA[pod] as number;
    if (sigma === 0) return P50[pod] as number;
    const z = Math.sqrt(-2 * Math.log(1 - this.rng.next())) * Math.cos(2 * Math.PI * this.rng.next());
    return Math.max(1, Math.round(Math.exp((MU[pod] as number) + sigma * z)));
  }

  private growRequests(): void {
    const size = this.requestSlots.capacity;
    this.reqService = grown(this.reqService, size);
    this.reqParent = grown(this.reqParent, size);
    this.reqTries = grown(this.reqTries, size);
    this.reqHost = grown(this.reqHost, size);
    this.reqStatus = grown(this.reqStatus, size);
  }

  private growAttempts(): void {
    const size = this.attemptSlots.capacity;
    this.attReq = grown(this.attReq, size);
    this.attPod = grown(this.attPod, size);
    this.attNextCall = grown(this.attNextCall, size);
    this.attStatus = grown(this.attStatus, size);
  }
}
