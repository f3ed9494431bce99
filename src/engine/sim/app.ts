import type { CallSpec } from '../../model/index.ts';
import { RESET, Task } from './Task.ts';
import { isOverrideHeader } from '../proxy/index.ts';
import { TRACE_HEADERS } from './trace.ts';
import { sampleLatency } from './latency.ts';
import { authorityOf, lowerCased, finishRequest, startRequest, emitFor, watching } from './request.ts';
import { cancelAttempt } from './response.ts';
import { cancelTimer, startTimer } from './timers.ts';
import type { RequestSpec } from './request.ts';
import { GATEWAY_FORWARD, gatewayAnswered } from './gatewayForward.ts';
import type { CallPlan, PodRuntime, RequestState, ServerState, World } from './World.ts';

const NO_HEADERS: RequestSpec['headers'] = {};

/**
 * The callee's app: its own service time, its failure mode from the
 * timeline, its error rate, then its downstream calls (with the app's own
 * timeouts and retries), then its answer.
 */
export function onAppReceive(w: World, server: ServerState | undefined): void {
  if (!server) return;
  const pod = server.runtime;
  const req = w.requests.get(server.requestId);
  if (req && watching(w)) emitFor(w, req, { kind: 'app', pod: server.pod }, { kind: 'app.receive', pod: server.pod }, server.attempt);
  const rng = pod.rng;
  const work = sampleLatency(pod.serviceTime, rng);
  const failure = pod.failure;
  // Only a pod the timeline made fail looks at a mode (most answers pass no mode comparison at all).
  if (failure !== undefined) {
    if (req && watching(w)) emitFor(w, req, { kind: 'app', pod: server.pod }, { kind: 'app.fail', pod: server.pod, mode: failure.mode }, server.attempt);
    switch (failure.mode) {
      case '503':
      case '500':
        return respondAfter(w, server, work, Number(failure.mode));
      case 'reset':
        w.queue.push(w.now + work, Task.appReset, server.id);
        return;
      case 'hang':
        return;
      case 'slow':
        w.queue.push(w.now + work + failure.delay, Task.appWork, server.id);
        return;
      case 'refuse':
        break;
    }
  }
  if (pod.app.errorRate > 0 && rng.next() < pod.app.errorRate) return respondAfter(w, server, work, 500);
  w.queue.push(w.now + work, Task.appWork, server.id);
}

/** Issues the next group of calls (consecutive `parallel: true` calls go together), or answers. */
export function onAppWork(w: World, server: ServerState | undefined): void {
  if (!server || server.responded) return;
  const calls = server.runtime.app.calls ?? [];
  if (server.failedStatus !== undefined || server.nextCall >= calls.length) {
    // Its work is done: it answers now, in this task (a task of its own would only come later at the same µs).
    server.responded = true;
    return onAppRespond(w, server, server.failedStatus ?? 200);
  }
  const first = server.nextCall;
  let last = first;
  if (calls[first]?.parallel) while (calls[last + 1]?.parallel) last += 1;
  server.nextCall = last + 1;
  for (let i = first; i <= last; i++) {
    server.outstanding += 1;
    issueCall(w, server, i, 0);
  }
}

/**
 * Calls nested deeper than this fail at once, as if the app's client gave up.
 * Opening a session refuses app calls in a cycle, also one a timeline change
 * would close (MV0418); config pushed some other way (`applyConfig`) can still
 * route calls into a cycle, and this keeps them from calling on forever.
 */
export const MAX_CALL_DEPTH = 16;

function issueCall(w: World, server: ServerState, index: number, retriesUsed: number): void {
  const pod = server.runtime;
  const call = pod?.app.calls[index];
  if (!pod || !call) return;
  const plan = callPlan(w, pod, index, call);
  const target = plan.target;
  if (!target || server.depth >= MAX_CALL_DEPTH) {
    server.outstanding -= 1;
    return onCallFailed(w, server, call, 0, -1);
  }
  // The fields of a traffic source's spec in its order (traffic.ts `sendRequest`): startRequest sees one shape.
  const spec = (plan.spec ??= {
    origin: { kind: 'app', parentId: 0, call: index, serverId: 0 },
    from: pod.pod.name,
    fromWorkload: pod.pod.workload,
    namespace: pod.pod.namespace,
    viaSidecar: pod.pod.sidecar,
    host: target.host,
    port: target.port,
    dialled: call.host,
    authority: plan.authority,
    method: call.method,
    path: call.path,
    headers: NO_HEADERS,
    ownHeaders: true,
    mayOverride: plan.overrides,
    plan: plan.slot,
    caller: pod,
    depth: 0,
    untracedParent: false,
  });
  spec.origin = { kind: 'app', parentId: server.requestId, call: index, serverId: server.id };
  spec.headers = outgoingHeaders(plan, server.headers);
  spec.untracedParent = !pod.app.propagateTraceHeaders && server.headers['traceparent'] !== undefined;
  spec.depth = server.depth + 1;
  const child = startRequest(w, spec);
  (server.calls ??= [])[index] = {
    childId: child.id,
    retriesUsed,
    timer: call.timeout === undefined ? undefined : startTimer(w, w.now + call.timeout, Task.appCallTimeout, { serverId: server.id, call: index, childId: child.id, done: false }),
  };
}

/** A downstream call came back to the app. */
export function onChildDone(w: World, child: RequestState): void {
  if (child.origin.kind !== 'app') return;
  if (child.origin.call === GATEWAY_FORWARD) return gatewayAnswered(w, child);
  const server = w.servers.get(child.origin.serverId);
  const slot = server?.calls?.[child.origin.call];
  if (!server || !slot || slot.childId !== child.id) return;
  cancelTimer(w, slot.timer);
  if (server.responded) return;
  const call = server.runtime.app.calls[child.origin.call];
  const status = child.result?.status ?? 0;
  if (!call) return;
  if (status === 0 || status >= 500) {
    if (slot.retriesUsed < call.retries) {
      const req = w.requests.get(server.requestId);
      if (req && watching(w)) emitFor(w, req, { kind: 'app', pod: server.pod }, { kind: 'app.retry', pod: server.pod, childId: child.id, retry: slot.retriesUsed + 1 }, server.attempt);
      return issueCall(w, server, child.origin.call, slot.retriesUsed + 1);
    }
    server.outstanding -= 1;
    return onCallFailed(w, server, call, status, child.id);
  }
  server.outstanding -= 1;
  if (server.outstanding === 0) onAppWork(w, server);
}

function onCallFailed(w: World, server: ServerState, call: CallSpec, status: number, childId: number): void {
  const req = w.requests.get(server.requestId);
  if (req && watching(w)) emitFor(w, req, { kind: 'app', pod: server.pod }, { kind: 'app.callFailed', pod: server.pod, childId, status, onFailure: call.onFailure }, server.attempt);
  if (call.onFailure === 'fail') server.failedStatus = 500;
  if (server.outstanding === 0) onAppWork(w, server);
}

/** The app's own timeout on a call fired: it stops waiting and closes the connection (the sidecar logs DC). */
export function onAppCallTimeout(w: World, serverId: number, call: number, childId: number): void {
  const server = w.servers.get(serverId);
  const child = w.requests.get(childId);
  if (!server || server.calls?.[call]?.childId !== childId || !child || child.done) return;
  const timeout = server.runtime.app.calls[call]?.timeout ?? 0;
  const req = w.requests.get(server.requestId);
  if (req && watching(w)) emitFor(w, req, { kind: 'app', pod: server.pod }, { kind: 'app.timeout', pod: server.pod, childId, timeout }, server.attempt);
  const attempt = child.currentAttempt === undefined ? undefined : w.attempts.get(child.currentAttempt);
  if (attempt) cancelAttempt(w, attempt);
  finishRequest(w, child, 0, ['DC'], `the calling app gave up after ${timeout / 1000} ms`);
}

function respondAfter(w: World, server: ServerState, delay: number, status: number): void {
  server.responded = true;
  w.queue.push(w.now + delay, Task.appRespond, server.id, status);
}

/** The app writes its answer; it reaches the callee's sidecar over loopback. */
export function onAppRespond(w: World, server: ServerState | undefined, status: number): void {
  if (!server) return;
  const req = w.requests.get(server.requestId);
  if (req && watching(w)) emitFor(w, req, { kind: 'app', pod: server.pod }, { kind: 'app.respond', pod: server.pod, status }, server.attempt);
  // Under ambient the answer passes the node's ztunnel instead of a sidecar.
  const back = server.viaSidecar ? w.costs.loopback + (server.sidecar?.xds.ztunnel === undefined ? w.costs.proxyProcessing : w.costs.ztunnelProcessing) : 0;
  w.queue.push(w.now + back, Task.serverRespond, server.id, status);
}

/** The app dies mid-request. Its sidecar turns that into a 503 (flag UC on the inbound side); without a sidecar the caller sees the reset. */
export function onAppReset(w: World, server: ServerState | undefined): void {
  if (!server) return;
  // ztunnel does not speak HTTP: it passes the reset on (§11); a sidecar answers 503 UC.
  if (server.viaSidecar && server.sidecar?.xds.ztunnel === undefined) {
    w.queue.push(w.now + w.costs.loopback + w.costs.proxyProcessing, Task.serverRespond, server.id, 503, {
      flag: 'UC',
      detail: 'upstream connect error or disconnect/reset before headers. reset reason: connection termination',
    });
    return;
  }
  w.servers.delete(server.id);
  w.queue.push(w.now + w.costs.wire, Task.responseArrive, server.id, RESET, 'connection reset by peer');
}

/**
 * What the app puts on a downstream call: the call's own headers plus what it copies from its inbound request.
 * It walks the inbound request's headers (usually one or two) and keeps those the app copies, rather than
 * looking up each name it could copy (the trace headers and its own list); what it keeps goes on in the app's order.
 */
function outgoingHeaders(plan: CallPlan, inbound: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {};
  const at = FOUND_AT;
  const values = FOUND_VALUES;
  let found = 0;
  for (const name in inbound) {
    const i = plan.copyAt.get(name);
    // Header values are strings; nothing else is copied (a name a plain object inherits is not a header).
    const value = i === undefined ? undefined : inbound[name];
    if (typeof value !== 'string') continue;
    let k = found++;
    for (; k > 0 && (at[k - 1] as number) > (i as number); k--) {
      at[k] = at[k - 1] as number;
      values[k] = values[k - 1] as string;
    }
    at[k] = i as number;
    values[k] = value;
  }
  for (let k = 0; k < found; k++) headers[plan.copy[at[k] as number] as string] = values[k] as string;
  for (const [name, value] of plan.own) headers[name] = value;
  return headers;
}

/** Scratch for `outgoingHeaders`: the copied headers found, by their place in the app's list (the engine is single-threaded). */
const FOUND_AT: number[] = [];
const FOUND_VALUES: string[] = [];

/**
 * What does not change between two issues of the same call: where it goes
 * (services do not change during a run; routing does, and is decided at the
 * sidecar), its `:authority`, and the headers the app copies onto it.
 */
function callPlan(w: World, pod: PodRuntime, index: number, call: CallSpec): CallPlan {
  const plans = (pod.callPlans ??= []);
  let plan = plans[index];
  if (!plan) {
    const target = w.resolve(pod.pod.namespace, call.host, call.port);
    const copy = pod.app.propagateTraceHeaders ? [...TRACE_HEADERS, ...pod.app.propagateHeaders] : pod.app.propagateHeaders;
    const copyAt = new Map<string, number>();
    copy.forEach((name, i) => {
      if (!copyAt.has(name)) copyAt.set(name, i);
    });
    plan = {
      target,
      authority: target ? authorityOf(call.host, target.port) : '',
      copy,
      copyAt,
      own: Object.entries(lowerCased(call.headers)),
      overrides: false,
      slot: w.planSlots++,
      spec: undefined,
    };
    plan.overrides = plan.copy.some(isOverrideHeader) || plan.own.some(([name]) => isOverrideHeader(name));
    plans[index] = plan;
  }
  return plan;
}
