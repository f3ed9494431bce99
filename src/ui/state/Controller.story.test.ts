import { describe, expect, it } from 'vitest';
import { BUILT_IN_SCENARIOS } from './builtInScenarios.ts';
import { Controller } from './Controller.ts';

function shop(): Controller {
  const s = BUILT_IN_SCENARIOS.find((b) => b.id === 'default');
  if (!s) throw new Error('no default scenario');
  return new Controller(s.id, s.files);
}

describe('playing the scenario’s story', () => {
  it('plays the browse traffic and the timeline: users-v1 fails at 15 s and recovers at 45 s, and the cards follow', () => {
    const c = shop();
    const v1 = c.scene.live.scenario.pods.find((p) => p.workload === 'users-v1')?.name as string;
    c.send(3);
    c.playStory();
    // A 60 s story at 2× plays in 30 s.
    expect(c.speed).toBe(2);
    expect(c.scene.driver.now).toBe(0);
    expect(c.scene.stats.requests).toBe(0);

    c.advance(14_900_000);
    let view = c.scene.story?.view(c.scene.driver.now);
    expect(view?.steps.map((s) => s.state)).toEqual(['next', 'later']);
    expect(view?.steps[0]?.text).toBe('users-v1 starts failing (503)');
    expect(view?.traffic[0]?.sent).toBeGreaterThanOrEqual(298);
    expect(c.scene.cards.get(v1).mode).toBeUndefined();

    c.advance(1_000_000);
    view = c.scene.story?.view(c.scene.driver.now);
    expect(view?.steps.map((s) => s.state)).toEqual(['done', 'next']);
    expect(c.scene.cards.get(v1).mode).toBe('503');
    expect(c.failing).toEqual({});
    expect(c.urlState().failing).toEqual({});

    c.advance(30_000_000);
    expect(c.scene.cards.get(v1).mode).toBeUndefined();
    c.advance(20_000_000);
    view = c.scene.story?.view(c.scene.driver.now);
    expect(view?.over).toBe(true);
    expect(view?.traffic[0]).toMatchObject({ sent: 1_200, total: 1_200 });
    expect(c.scene.stats.snapshot().failures).toBeGreaterThan(0);
    expect(c.scene.stats.snapshot().ejections).toBeGreaterThan(0);
  });

  it('plays a timeline `apply`: the control plane pushes the new VirtualService and users-v2 takes all the traffic', () => {
    const s = BUILT_IN_SCENARIOS.find((b) => b.id === 'default');
    const text = s?.files[0]?.text ?? '';
    const promote = [
      '    - at: 10s',
      '      apply:',
      '        apiVersion: networking.istio.io/v1',
      '        kind: VirtualService',
      '        metadata: { name: users }',
      '        spec:',
      '          hosts: [users]',
      '          http:',
      '            - route:',
      '                - destination: { host: users, subset: v2 }',
    ].join('\n');
    const edited = text.replace(/  timeline:\n[\s\S]*$/, `  timeline:\n${promote}\n`);
    expect(edited).not.toBe(text);
    const c = new Controller('custom', [{ name: 'promote.yaml', text: edited }]);
    const received = (workload: string) => {
      const pod = c.scene.live.scenario.pods.find((p) => p.workload === workload)?.name as string;
      return c.scene.stats.received.get(pod) ?? 0;
    };
    c.playStory();
    expect(c.scene.story?.plan.steps.map((step) => step.text)).toEqual(['apply VirtualService users']);
    c.advance(10_000_000);
    const [v1Before, v2Before] = [received('users-v1'), received('users-v2')];
    expect(v1Before).toBeGreaterThan(150);
    c.advance(2_000_000);
    const view = c.scene.story?.view(c.scene.driver.now);
    expect(view?.steps[0]).toMatchObject({ state: 'done' });
    expect(view?.steps[0]?.refused).toBeUndefined();
    c.advance(20_000_000);
    // After the push (well under a second), every new call goes to v2.
    expect(received('users-v1') - v1Before).toBeLessThan(25);
    expect(received('users-v2') - v2Before).toBeGreaterThan(350);
  });

  it('leaving the story gives a fresh, quiet mesh that keeps the control edits', () => {
    const c = shop();
    c.setWeight('default/users#0', 0, 50);
    c.playStory();
    c.advance(1_000_000);
    c.playStory(false);
    expect(c.scene.story).toBeUndefined();
    expect(c.scene.driver.now).toBe(0);
    c.advance(5_000_000);
    expect(c.scene.stats.requests).toBe(0);
    expect(c.urlState().weights).toEqual({ 'default/users#0': [50, 50] });
  });
});
