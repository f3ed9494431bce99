import { describe, expect, it } from 'vitest';
import { BUILT_IN_SCENARIOS } from '../state/builtInScenarios.ts';
import { Controller } from '../state/Controller.ts';
import { outlierRows } from '../stats/outlierRows.ts';
import { LESSONS } from './lessons.ts';

function open(id: string): Controller {
  const s = BUILT_IN_SCENARIOS[0];
  if (!s) throw new Error('no scenario');
  const c = new Controller(s.id, s.files);
  c.startLesson(id);
  expect(c.lesson?.lesson.id).toBe(id);
  return c;
}

/** Does the current step, lets what it sent finish, and moves on. */
function step(c: Controller): void {
  c.doLessonStep();
  c.finishPlayback();
}

const received = (c: Controller, workload: string) => c.scene.live.scenario.pods.filter((p) => p.workload === workload).reduce((n, p) => n + (c.scene.stats.received.get(p.name) ?? 0), 0);
const stats = (c: Controller) => c.scene.stats.snapshot();

/** Does `n` steps from the current one, each sending one request, and says how each ended (`000`: no response). */
function outcomes(c: Controller, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0) c.moveLesson(1);
    step(c);
    const end = c.scene.driver.book.featuredTracks()[0]?.events.find((e) => e.event.kind === 'request.end')?.event;
    out.push(end?.kind === 'request.end' ? String(end.status).padStart(3, '0') : 'none');
  }
  return out;
}
/** The default mesh's users canary: v1, then v2. */
const V1_V2 = [{ subset: 'v1' }, { subset: 'v2' }];

describe('lessons, walked through step by step', () => {
  it('there are at least six, each with steps and a scenario that loads without errors', () => {
    expect(LESSONS.length).toBeGreaterThanOrEqual(6);
    for (const lesson of LESSONS) {
      const c = open(lesson.id);
      expect(c.rejected).toBeUndefined();
      expect(lesson.steps.length).toBeGreaterThan(1);
    }
  });

  it('canary rollout: 100/0 sends nothing to v2, 50/50 about half, 0/100 nothing to v1', () => {
    const c = open('canary');
    step(c);
    c.moveLesson(1);
    step(c);
    expect(c.scene.shares.observed('default/users#0', V1_V2)).toEqual([100, 0]);
    c.moveLesson(1);
    step(c);
    const [a, b] = c.scene.shares.observed('default/users#0', V1_V2) as [number, number];
    expect(a + b).toBe(100);
    expect(b).toBeGreaterThan(30);
    expect(b).toBeLessThan(70);
    c.moveLesson(1);
    step(c);
    expect(c.scene.shares.observed('default/users#0', V1_V2)).toEqual([0, 100]);
  });

  it('a failing pod: retries and an ejection, then fail-fast that never reaches it, then it serves again', () => {
    const c = open('failing-pod');
    const v1 = c.scene.live.scenario.pods.find((p) => p.workload === 'users-v1')?.name as string;
    step(c);
    c.moveLesson(1);
    step(c);
    expect(stats(c).retries).toBeGreaterThan(0);
    expect(stats(c).ejections).toBe(1);
    c.moveLesson(1);
    const before = received(c, 'users-v1');
    step(c);
    expect(received(c, 'users-v1')).toBe(before);
    c.moveLesson(1);
    step(c);
    expect(outlierRows(c.scene.live.clusters(c.caller), c.caller, c.scene.stats.ejected, c.scene.driver.now).rows.find((r) => r.endpoint === v1)?.state).toBe('healthy');
    c.moveLesson(1);
    step(c);
    expect(received(c, 'users-v1')).toBeGreaterThan(before);
  });

  it('a retry storm: one request becomes 4 at api, 16 at users, 64 at db; retrying at one layer leaves 4', () => {
    const c = open('retry-storm');
    step(c);
    c.moveLesson(1);
    step(c);
    expect([received(c, 'api'), received(c, 'users'), received(c, 'db')]).toEqual([4, 16, 64]);
    c.moveLesson(1);
    step(c);
    expect(received(c, 'db')).toBe(64 + 4);
  });

  it('a slow pod: round robin gives it a third, least request far fewer', () => {
    const c = open('slow-pod');
    const share = () => received(c, 'api-slow') / (received(c, 'api') + received(c, 'api-slow'));
    c.doLessonStep();
    c.advance(11_000_000);
    expect(share()).toBeCloseTo(1 / 3, 1);
    c.moveLesson(1);
    c.doLessonStep();
    c.advance(11_000_000);
    expect(share()).toBeLessThan(0.2);
  });

  it('STRICT resets the sidecar-less caller; a PERMISSIVE policy for api alone lets it through', () => {
    const c = open('strict-mtls');
    expect(outcomes(c, 3)).toEqual(['200', '000', '200']);
    expect(c.scene.live.mtls().mode).toBe('STRICT');
  });

  it('a VirtualService before its DestinationRule: 503 NC until the rule arrives', () => {
    const c = open('subset-before-rule');
    c.doLessonStep();
    c.moveLesson(1);
    c.doLessonStep();
    expect(c.scene.story?.view(c.scene.driver.now).over).toBe(true);
    expect(stats(c).failures).toBeGreaterThan(5);
    expect(stats(c).failures).toBeLessThan(40);
  });

  it('istiod down: the mesh serves on, changes wait, certificates expire after 24 h; istiod back heals it', () => {
    const c = open('istiod-outage');
    c.doLessonStep();
    expect(c.scene.live.controlPlaneUp).toBe(false);
    c.moveLesson(1);
    expect(outcomes(c, 3)).toEqual(['200', '503', '200']);
    expect(c.scene.live.controlPlaneUp).toBe(true);
  });
});
