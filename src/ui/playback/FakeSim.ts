import type { SendSpec } from '../../api/index.ts';
import type { MeshEvent, Micros } from '../../model/index.ts';
import { simpleRequest } from './fixtures.ts';
import type { SimPort } from './SimPort.ts';

/**
 * A stand-in engine for playback tests: each send replays a scripted request
 * (by default `simpleRequest`) from the current time, emitting events through
 * the sink as its clock passes them, like the real engine.
 */
export class FakeSim implements SimPort {
  now: Micros = 0;
  sent: Array<{ id: number; at: Micros; spec: SendSpec }> = [];
  private tasks: MeshEvent[] = [];
  private ended = new Set<number>();
  private nextId = 0;

  constructor(
    private readonly sink: (e: MeshEvent) => void,
    private readonly script: (id: number, spec: SendSpec, t0: Micros) => MeshEvent[] = (id, spec, t0) => simpleRequest(id, spec.from, spec.host, 200, t0),
  ) {}

  get inFlight(): number {
    return this.sent.filter((s) => !this.ended.has(s.id)).length;
  }

  send(spec: SendSpec): number {
    const id = ++this.nextId;
    this.sent.push({ id, at: this.now, spec });
    const [first, ...rest] = this.script(id, spec, this.now);
    if (first) this.emit(first);
    this.tasks.push(...rest);
    this.tasks.sort((a, b) => a.t - b.t);
    return id;
  }

  runUntil(t: Micros): void {
    while (this.tasks.length > 0 && (this.tasks[0] as MeshEvent).t <= t) {
      const e = this.tasks.shift() as MeshEvent;
      this.now = e.t;
      this.emit(e);
    }
    if (t > this.now) this.now = t;
  }

  nextTaskTime(): Micros | undefined {
    return this.tasks[0]?.t;
  }

  get idle(): boolean {
    return this.inFlight === 0 && this.tasks.length === 0;
  }

  /** The fake has no control plane: nothing is ever pushed. */
  readonly pushPending = false;

  /** Tests set this to stand for an endpoint ejected somewhere. */
  ejected = false;

  anyEjected(): boolean {
    return this.ejected;
  }

  /** The fake has no scenario of its own. */
  scheduleScenario(): void {}

  private emit(e: MeshEvent): void {
    if (e.kind === 'request.end') this.ended.add(e.requestId);
    this.sink(e);
  }
}
