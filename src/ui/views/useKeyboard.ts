import { useEffect } from 'react';
import type { Controller } from '../state/Controller.ts';

/** Controls that use the arrow keys themselves (fields, lists, sliders, radios, scrolling panes, the editor, the view tabs). */
const USES_ARROWS = 'input, select, textarea, [contenteditable="true"], .log, .yaml, .cm-editor, [role="tablist"]';
/** Where Space types a space: text fields and the editor. Anywhere else it plays or pauses, a focused button included. */
const TYPES_SPACE = 'input:not([type="button"], [type="checkbox"], [type="radio"], [type="range"], [type="submit"], [type="reset"]), textarea, [contenteditable="true"], .cm-editor';

/** Space plays or pauses wherever focus is (except where it types); ← and → step, unless focus is in a control that uses them. */
export function useKeyboard(c: Controller): void {
  useEffect(() => {
    // The element that has focus, also inside a shadow root (the YAML editors), where `target` is only its host.
    const focused = (e: KeyboardEvent) => (e.composedPath()[0] ?? e.target) as HTMLElement | null;
    const isSpace = (e: KeyboardEvent) => e.key === ' ' && !e.altKey && !e.ctrlKey && !e.metaKey && !focused(e)?.closest?.(TYPES_SPACE);
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const el = focused(e);
      if (isSpace(e)) {
        // A focused button would press itself on Space: playback keeps the key.
        if (!e.repeat) c.setPlaying(!c.playing);
      } else if (e.key === ' ' || el?.closest?.(USES_ARROWS)) return;
      else if (e.key === 'ArrowRight') c.stepForward();
      else if (e.key === 'ArrowLeft') c.stepBack();
      else return;
      e.preventDefault();
    };
    // Buttons and checkboxes act on Space's keyup: that half is swallowed too.
    const onKeyUp = (e: KeyboardEvent) => {
      if (isSpace(e)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('keyup', onKeyUp);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('keyup', onKeyUp);
    };
  }, [c]);
}
