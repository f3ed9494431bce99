import type { KeyboardEvent } from 'react';
import type { MeshViewName } from '../state/urlState.ts';
import { useController } from './ControllerContext.ts';

const VIEWS: ReadonlyArray<[MeshViewName, string]> = [
  ['pods', 'Pods'],
  ['graph', 'Graph'],
];

/** Pods or the service graph on the stage: a tab list (click, or ← → Home End when a tab has focus). */
export function ViewTabs() {
  const c = useController();
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = VIEWS.findIndex(([v]) => v === c.view);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: VIEWS.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const [view] = VIEWS[(next + VIEWS.length) % VIEWS.length] as [MeshViewName, string];
    c.setView(view);
    e.currentTarget.querySelector<HTMLButtonElement>(`[data-view="${view}"]`)?.focus();
  };
  return (
    <div className="view-tabs" role="tablist" aria-label="Picture" onKeyDown={onKeyDown}>
      {VIEWS.map(([view, label]) => (
        <button
          key={view}
          type="button"
          role="tab"
          id={`tab-${view}`}
          data-view={view}
          data-testid={`view-tab-${view}`}
          aria-selected={c.view === view}
          aria-controls={`view-${view}`}
          tabIndex={c.view === view ? 0 : -1}
          onClick={() => c.setView(view)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
