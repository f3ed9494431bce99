import { useId, useState } from 'react';
import { LESSONS } from '../lessons/lessons.ts';
import { useController } from './ControllerContext.ts';

/**
 * Guided stories: pick one and the page loads its scenario, then walks
 * through its steps — what to click, what to watch, why it happens, and the
 * YAML that makes it happen. "Do it" uses the control the step names.
 */
export function LessonsPanel() {
  const c = useController();
  const id = useId();
  const [pick, setPick] = useState(LESSONS[0]?.id ?? '');
  const current = c.lesson;
  if (!current) {
    const chosen = LESSONS.find((l) => l.id === pick);
    return (
      <section className="panel lessons" aria-labelledby={`${id}-h`} data-testid="lessons" data-state="idle">
        <h2 id={`${id}-h`}>Lessons</h2>
        <div className="panel-body">
          <label htmlFor={`${id}-pick`} className="hint">
            A guided story, step by step ({LESSONS.length} of them)
          </label>
          <select id={`${id}-pick`} data-testid="lesson-pick" value={pick} onChange={(e) => setPick(e.target.value)}>
            {LESSONS.map((l) => (
              <option key={l.id} value={l.id}>
                {l.title}
              </option>
            ))}
          </select>
          {chosen ? <p className="hint">{chosen.summary}</p> : null}
          <button type="button" className="btn primary" data-testid="lesson-start" onClick={() => c.startLesson(pick)}>
            Start the lesson
          </button>
        </div>
      </section>
    );
  }
  const { lesson, step, done } = current;
  const s = lesson.steps[step];
  const last = step === lesson.steps.length - 1;
  return (
    <section className="panel lessons" aria-labelledby={`${id}-h`} data-testid="lessons" data-state="playing" data-lesson={lesson.id} data-step={step}>
      <h2 id={`${id}-h`}>Lesson: {lesson.title}</h2>
      <div className="panel-body">
        <p className="lesson-progress hint">
          Step {step + 1} of {lesson.steps.length} ·{' '}
          <button type="button" className="linklike" data-testid="lesson-leave" onClick={() => c.endLesson()}>
            other lessons
          </button>
        </p>
        <p className="lesson-text" data-testid="lesson-text">
          {s?.text}
        </p>
        {s?.yaml ? (
          <pre className="lesson-yaml" tabIndex={0} aria-label="The YAML that makes it happen">
            {s.yaml}
          </pre>
        ) : null}
        <div className="button-row">
          <button type="button" className="btn" data-testid="lesson-back" disabled={step === 0} onClick={() => c.moveLesson(-1)}>
            ◀ Back
          </button>
          <button type="button" className={done ? 'btn' : 'btn primary'} data-testid="lesson-do" onClick={() => c.doLessonStep()}>
            {done ? 'Do it again' : 'Do it'}
          </button>
          {last ? (
            <button type="button" className={done ? 'btn primary' : 'btn'} data-testid="lesson-end" onClick={() => c.endLesson()}>
              Finish
            </button>
          ) : (
            <button type="button" className={done ? 'btn primary' : 'btn'} data-testid="lesson-next" onClick={() => c.moveLesson(1)}>
              Next ▶
            </button>
          )}
        </div>
      </div>
    </section>
  );
}
