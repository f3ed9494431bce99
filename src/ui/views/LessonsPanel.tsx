import { useId, useState } from 'react';
import { LESSONS } from '../lessons/lessons.ts';
import { useController } from './ControllerContext.ts';

/**
 * The lesson being walked: the page has loaded its scenario and walks
 * through its steps — what to click, what to watch, why it happens, and the
 * YAML that makes it happen. "Do it" uses the control the step names.
 */
export function LessonsPanel() {
  const c = useController();
  const id = useId();
  const current = c.lesson;
  if (!current) return null;
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

/** The lessons on offer, one row above the controls: pick one and start it (its steps then show in its place). */
export function LessonPicker() {
  const c = useController();
  const id = useId();
  const [pick, setPick] = useState(LESSONS[0]?.id ?? '');
  if (c.lesson) return null;
  const chosen = LESSONS.find((l) => l.id === pick);
  return (
    <div className="panel lesson-picker" data-testid="lessons-pick">
      <label htmlFor={`${id}-pick`}>Lessons</label>
      <select id={`${id}-pick`} data-testid="lesson-pick" value={pick} title={chosen?.summary} onChange={(e) => setPick(e.target.value)}>
        {LESSONS.map((l) => (
          <option key={l.id} value={l.id}>
            {l.title}
          </option>
        ))}
      </select>
      <button type="button" className="btn primary" data-testid="lesson-start" title={chosen?.summary} onClick={() => c.startLesson(pick)}>
        Start
      </button>
      {chosen && (
        <p className="lesson-summary" data-testid="lesson-summary">
          {chosen.summary}
        </p>
      )}
    </div>
  );
}
