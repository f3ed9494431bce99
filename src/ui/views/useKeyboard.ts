import { useEffect } from 'react';
import type { Controller } from '../state/Controller.ts';

/** Controls that use the arrow keys themselves (fields, lists, sliders, radios, scrolling panes). */
const USES_ARROWS = 'input, select, textarea, [contenteditable="true"], .log, .yaml';
/** Space also activates buttons and links: there it keeps its usual meaning. */
const USES_SPACE = `${USES_ARROWS}, button, a, summary`;

/** Space plays or pauses, ← and → step, unless focus is in a control that uses those keys itself. */
export function useKeyboard(c: Controller): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const el = e.target as HTMLElement | null;
      if (el?.closest(e.key === ' ' ? USES_SPACE : USES_ARROWS)) return;
      if (e.key === ' ') c.setPlaying(!c.playing);
      else if (e.key === 'ArrowRight') c.stepForward();
      else if (e.key === 'ArrowLeft') c.stepBack();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [c]);
}
