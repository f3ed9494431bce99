import { describe, expect, it } from 'vitest';
import { ev } from '../playback/fixtures.ts';
import { idleView, StoryProgress } from './StoryProgress.ts';
import type { StoryPlan } from './storyPlan.ts';

const plan: StoryPlan = {
  traffic: [{ name: 'browse', text: 'web → api:8080/products, 20 req/s for 60s', total: 1_200 }],
  steps: [
    { at: 15_000_000, text: 'users-v1 starts failing (503)' },
    { at: 45_000_000, text: 'users-v1 recovers' },
    { at: 50_000_000, text: 'apply VirtualService users' },
  ],
  length: 60_000_000,
};

const start = (id: number, t: number, name: string) =>
  ev(t, id, 0, { kind: 'app', pod: 'web' }, { kind: 'request.start', origin: { kind: 'traffic', name }, viaSidecar: true, fromPod: 'web', fromWorkload: 'web', host: 'api', port: 8080, method: 'GET', path: '/products', headers: {} });

describe('StoryProgress', () => {
  it('before the story: nothing sent, every step to come', () => {
    expect(idleView(plan).steps.map((s) => s.state)).toEqual(['later', 'later', 'later']);
    expect(idleView(plan).traffic[0]?.sent).toBe(0);
  });

  it('counts the requests each traffic source started (not the user’s own sends) and says what comes next, and when', () => {
    const p = new StoryProgress(plan);
    p.add(start(1, 0, 'browse'));
    p.add(start(2, 50_000, 'browse'));
    p.add(start(3, 60_000, 'send'));
    const view = p.view(12_000_000);
    expect(view.traffic[0]?.sent).toBe(2);
    expect(view.steps.map((s) => [s.state, s.inMicros])).toEqual([
      ['next', 3_000_000],
      ['later', undefined],
      ['later', undefined],
    ]);
    expect(view.over).toBe(false);
  });

  it('marks steps done once the picture has passed them, with the control plane’s refusal when there was one', () => {
    const p = new StoryProgress(plan);
    p.add(ev(50_000_000, 0, 0, { kind: 'mesh' }, { kind: 'config.rejected', change: 'apply VirtualService/default/users', reason: 'no control plane is attached to this simulation' }));
    const view = p.view(50_000_000);
    expect(view.steps.map((s) => s.state)).toEqual(['done', 'done', 'done']);
    expect(view.steps[2]?.refused).toBe('no control plane is attached to this simulation');
    expect(view.over).toBe(false);
  });
});
