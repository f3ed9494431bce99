import { describeEstimate } from '../../api/index.ts';
import { formatDuration } from '../../model/index.ts';
import { STORY_BUDGET_HOPS, storyTooLarge } from '../state/pageLimits.ts';
import { formatClock, formatTimeUntil } from '../format/formatNumbers.ts';
import { formatSpeed, storySpeed } from '../state/speeds.ts';
import { idleView } from '../story/StoryProgress.ts';
import { storyPlan } from '../story/storyPlan.ts';
import { useLiveController } from './ControllerContext.ts';

const MARK = { done: '✓', next: '▸', later: '·' } as const;

/** Plays the Simulation document's own traffic and timeline; shows the story's clock and what comes next. */
export function StoryPanel() {
  const c = useLiveController('story');
  const { story, driver, live } = c.scene;
  const plan = story?.plan ?? storyPlan(live.scenario.simulation);
  const view = story ? story.view(driver.now) : idleView(plan);
  const tooLarge = story ? undefined : storyTooLarge(live.session);
  if (plan.traffic.length === 0 && plan.steps.length === 0) {
    return (
      <section className="panel story" aria-labelledby="story-h" data-testid="story" data-state="none">
        <h2 id="story-h">The scenario’s story</h2>
        <p className="panel-body hint">This scenario’s Simulation document has no traffic or timeline of its own.</p>
      </section>
    );
  }
  return (
    <section className="panel story" aria-labelledby="story-h" data-testid="story" data-state={story ? (view.over ? 'over' : 'playing') : 'idle'}>
      <h2 id="story-h">The scenario’s story</h2>
      <div className="panel-body">
        <div className="button-row">
          <button type="button" className="btn primary" data-testid="story-play" disabled={tooLarge !== undefined} onClick={() => c.playStory(true)}>
            {story ? '↺ Play it again' : '▶ Play the scenario’s story'}
          </button>
          {story ? (
            <button type="button" className="btn" data-testid="story-leave" onClick={() => c.playStory(false)}>
              Leave the story
            </button>
          ) : null}
        </div>
        {tooLarge ? (
          <p className="note" data-testid="story-too-large">
            This story would simulate about {describeEstimate(tooLarge)}; the visualizer plays stories of up to{' '}
            {STORY_BUDGET_HOPS.toLocaleString('en-US')} request-hops. Run it with <code>npx meshviz simulate</code> instead.
          </p>
        ) : null}
        <p className="hint story-clock" data-testid="story-clock">
          {story ? (
            <>
              story time <strong>{formatClock(driver.now)}</strong>
              {view.over ? ' · the story is over' : ''}
            </>
          ) : (
            `Starts the mesh afresh at 0 s and plays its ${formatDuration(plan.length)} of traffic and timeline at ${formatSpeed(storySpeed(plan.length))}, in under a minute.`
          )}
        </p>
        <ul className="story-traffic">
          {view.traffic.map((t) => (
            <li key={t.name} data-testid={`story-traffic-${t.name}`}>
              <strong>{t.name}</strong>: {t.text}
              {story ? <span className="hint"> · sent {t.sent} of {t.total}</span> : null}
            </li>
          ))}
        </ul>
        <ol className="story-steps">
          {view.steps.map((s, i) => (
            <li key={i} className={`step-${s.state}`} data-testid="story-step" data-state={s.state}>
              <span className="at">{formatDuration(s.at)}</span>
              <span className="what">
                <span aria-hidden="true">{MARK[s.state]} </span>
                {s.text}
                {s.state === 'next' && s.inMicros !== undefined ? <span className="hint"> · {formatTimeUntil(s.inMicros)}</span> : null}
                {s.refused ? <span className="note"> (refused: {s.refused})</span> : null}
              </span>
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}
