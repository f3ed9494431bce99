import type { MeshEvent, Micros } from '../../model/index.ts';
import type { StoryPlan, StoryStep, StoryTraffic } from './storyPlan.ts';

export type StepState = 'done' | 'next' | 'later';

export interface StepView extends StoryStep {
  state: StepState;
  /** Virtual time until it happens (for the next step). */
  inMicros?: Micros;
  /** What the control plane said when it refused the change. */
  refused?: string;
}

export interface TrafficView extends StoryTraffic {
  sent: number;
}

export interface StoryView {
  traffic: TrafficView[];
  steps: StepView[];
  /** Every traffic has sent all its requests and every step has happened. */
  over: boolean;
}

/** The story before it is played: nothing sent, every step still to come. */
export function idleView(plan: StoryPlan): StoryView {
  return { traffic: plan.traffic.map((t) => ({ ...t, sent: 0 })), steps: plan.steps.map((s) => ({ ...s, state: 'later' })), over: false };
}

/**
 * How far the story has got, folded from the events the picture has shown:
 * requests each traffic source has started, and config changes the control
 * plane refused.
 */
export class StoryProgress {
  private readonly sent = new Map<string, number>();
  private readonly refusals: Array<{ t: Micros; reason: string }> = [];

  constructor(readonly plan: StoryPlan) {}

  add(event: MeshEvent): void {
    if (event.kind === 'request.start' && event.origin.kind === 'traffic') this.sent.set(event.origin.name, (this.sent.get(event.origin.name) ?? 0) + 1);
    else if (event.kind === 'config.rejected') this.refusals.push({ t: event.t, reason: event.reason });
  }

  /** The story at virtual time `now`: which steps are done, which comes next and in how long. */
  view(now: Micros): StoryView {
    let nextFound = false;
    const steps = this.plan.steps.map((step): StepView => {
      if (step.at <= now) {
        const refused = this.refusals.find((r) => r.t === step.at)?.reason;
        return refused ? { ...step, state: 'done', refused } : { ...step, state: 'done' };
      }
      if (nextFound) return { ...step, state: 'later' };
      nextFound = true;
      return { ...step, state: 'next', inMicros: step.at - now };
    });
    const traffic = this.plan.traffic.map((t) => ({ ...t, sent: Math.min(t.total, this.sent.get(t.name) ?? 0) }));
    return { traffic, steps, over: !nextFound && traffic.every((t) => t.sent >= t.total) };
  }
}
