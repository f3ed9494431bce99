/**
 * A name the Simulation document uses that must exist among the other
 * documents. Collected while reading, checked once every file is read, and
 * reported at `path` in the Simulation.
 */
export type SimulationRef =
  /** A Deployment named in `workloads` or a timeline target. */
  | { kind: 'workload'; name: string; path: string }
  /** A pod named in a timeline target. */
  | { kind: 'pod'; name: string; path: string }
  /** The `from` of a traffic entry: a Deployment or `external`. */
  | { kind: 'source'; name: string; path: string }
  /** A `to` or `calls[].service`, resolved from the caller's namespace. */
  | { kind: 'service'; host: string; port?: number; caller: string; path: string };
