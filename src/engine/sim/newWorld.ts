import { serviceTime } from './latency.ts';
import { byName, defaultApp, IdTable } from '../../model/index.ts';
import type { ProxyXds } from '../../model/index.ts';
import { EventQueue } from '../kernel/EventQueue.ts';
import { RngStreams } from '../kernel/Rng.ts';
import type { SimulationOptions } from './Simulation.ts';
import type { TaskPayload } from './Task.ts';
import type { PodRuntime, ProxyRuntime, World } from './World.ts';

/** A sidecar's runtime: its config, its clusters as they are used, its named random streams. */
export function newProxy(rng: RngStreams, pod: string, xds: ProxyXds): ProxyRuntime {
  return {
    pod,
    xds,
    virtualHosts: new Map(),
    vhostBySlot: [],
    clusters: byName(),
    rng: {
      route: rng.stream(`route:${pod}`),
      backoff: rng.stream(`backoff:${pod}`),
      outlier: rng.stream(`outlier:${pod}`),
      fault: rng.stream(`fault:${pod}`),
      mirror: rng.stream(`mirror:${pod}`),
      trace: rng.stream(`trace:${pod}`),
    },
  };
}

/** The state of a simulation before its first task: every pod idle, every proxy with its config. */
export function newWorld(options: SimulationOptions): World {
  const { scenario, xds } = options;
  const seed = options.seed ?? scenario.simulation.seed;
  const rng = new RngStreams(seed);
  const pods = byName<PodRuntime>();
  const podsByWorkload = new Map<string, string[]>();
  for (const [index, pod] of scenario.pods.entries()) {
    const app = scenario.simulation.workloads[pod.workload] ?? defaultApp();
    // Every field from birth, set or not: pods whose fields came in different orders would each have their own
    // shape, and the handlers that read pods would see them all (every hop reads its caller's and its callee's).
    pods[pod.name] = { pod, rng: rng.stream(`app:${pod.name}`), app, serviceTime: serviceTime(app.latency), index, proxy: undefined, failure: undefined, received: 0, spiffe: undefined, principal: undefined, callPlans: undefined, cert: undefined };
    const list = podsByWorkload.get(pod.workload);
    if (list) list.push(pod.name);
    else podsByWorkload.set(pod.workload, [pod.name]);
  }
  const proxies = byName<ProxyRuntime>();
  for (const [pod, proxy] of Object.entries(xds.proxies)) {
    const made = (proxies[pod] = newProxy(rng, pod, proxy));
    const runtime = pods[pod];
    if (runtime) runtime.proxy = made;
  }
  return {
    now: 0,
    queue: new EventQueue<TaskPayload>(),
    rng,
    emit: options.sink,
    counters: options.counters,
    telemetry: options.telemetry,
    tallies: undefined,
    planSlots: 0,
    eventCount: 0,
    scenario,
    xds,
    costs: scenario.simulation.costs,
    resolve: options.resolve,
    pods,
    podsByWorkload,
    proxies,
    requests: new IdTable(),
    attempts: new IdTable(),
    servers: new IdTable(),
    connections: new IdTable(),
    nextId: { request: 0, attempt: 0, connection: 0 },
    inFlight: 0,
    deadTimers: 0,
    kubeServices: new Map(),
    kubeRngs: new Map(),
    pendingTraffic: 0,
    listeners: [],
  };
}
