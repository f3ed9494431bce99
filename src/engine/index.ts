export { Simulation } from './sim/Simulation.ts';
export type { SimulationOptions } from './sim/Simulation.ts';
export type { SendSpec } from './sim/traffic.ts';
export type { AddressResolver, RequestState, ClusterRuntime, World } from './sim/World.ts';
export type { ConfigChange, Reconfigure } from './sim/controlPlane.ts';
export { EventQueue } from './kernel/EventQueue.ts';
export { RngStreams, createRng } from './kernel/Rng.ts';
export type { Rng } from './kernel/Rng.ts';
export { formatFlags, orderFlags, FLAG_MEANING } from './proxy/index.ts';
