import { useEffect } from 'react';
import type { Controller } from '../state/Controller.ts';

/** Space plays or pauses, ← and → step, unless focus is in a control that uses those keys itself. */
export function useKeyboard(c: Controller): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const el = e.target as HTMLElement | null;
      if (el && el.closest('input, select, textarea, button, a, [contenteditable="true"], .log, .yaml')) return;
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
