import type { SendSpec } from '../../api/index.ts';
import type { Micros } from '../../model/index.ts';

interface Scheduled {
  at: Micros;
  spec: SendSpec;
}

/** What a send started: its request id, and whether it was Auto's. */
export type Sent = { id: number; auto: boolean };

/**
 * The sends the controls asked for that the engine has not started yet:
 * single sends at a virtual time (Send, Send 10) and Auto's steady rate.
 */
export class SendPlan {
  private scheduled: Scheduled[] = [];
  private auto: { spec: SendSpec; interval: Micros; next: Micros } | undefined;

  get autoRunning(): boolean {
    return this.auto !== undefined;
  }

  /** Sends waiting for their time (Auto not counted). */
  get waiting(): number {
    return this.scheduled.length;
  }

  /** Queues `spec` at virtual time `at`, after any send already due then. */
  schedule(at: Micros, spec: SendSpec): void {
    let i = this.scheduled.length;
    while (i > 0 && (this.scheduled[i - 1] as Scheduled).at > at) i -= 1;
    this.scheduled.splice(i, 0, { at, spec });
  }

  /** Starts (or, with `undefined`, stops) Auto at `rate` requests per virtual second, the first at `from` unless already running. */
  setAuto(spec: SendSpec | undefined, rate: number, from: Micros): void {
    if (!spec || rate <= 0) {
      this.auto = undefined;
      return;
    }
    const interval = Math.max(1, Math.round(1_000_000 / rate));
    this.auto = { spec, interval, next: this.auto?.next ?? from };
  }

  /** When the next send is due, if any. */
  nextAt(): Micros | undefined {
    const one = this.scheduled[0]?.at;
    const auto = this.auto?.next;
    if (one === undefined) return auto;
    return auto === undefined ? one : Math.min(one, auto);
  }

  /** Starts every send due at or before `t` through `send`, in order: single sends first, then Auto's. */
  runDue(t: Micros, send: (spec: SendSpec) => number): Sent[] {
    const started: Sent[] = [];
    while (this.scheduled.length > 0 && (this.scheduled[0] as Scheduled).at <= t) {
      const { spec } = this.scheduled.shift() as Scheduled;
      started.push({ id: send(spec), auto: false });
    }
    while (this.auto && this.auto.next <= t) {
      started.push({ id: send(this.auto.spec), auto: true });
      this.auto.next += this.auto.interval;
    }
    return started;
  }
}
