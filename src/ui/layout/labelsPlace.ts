import type { CardLayout } from './layoutMesh.ts';

/** Where a card's labels tooltip opens, and which of the card's edges it lines up with. */
export interface LabelsPlace {
  side: 'above' | 'below' | 'right' | 'left';
  /** `start`: its left (or top, beside the card) edge on the card's; `end`: its right (or bottom) edge. */
  align: 'start' | 'end';
}

/** The tooltip's look in CSS pixels of the picture (see `.card-labels`): 11.5 px monospace at 1.5 line height. */
const TIP = { line: 17.25, char: 6.95, padX: 16, padY: 12, gap: 6, edge: 2 };

/** The tooltip's size, from the lines it will show: the pod's name, its labels, its namespace. */
export function labelsSize(pod: CardLayout['pod']): { w: number; h: number } {
  const lines = [`pod ${pod.name}`, ...Object.entries(pod.labels).map(([k, v]) => `${k}: ${v}`), `namespace: ${pod.namespace}`];
  return { w: TIP.padX + TIP.char * Math.max(...lines.map((l) => l.length)), h: TIP.padY + TIP.line * lines.length };
}

/**
 * Picks where the labels tooltip of a card opens so that it stays inside the
 * picture (whose scroll box would clip it): above the card when there is room,
 * else below, else beside it on the roomier side; lined up with the card's left
 * edge unless that would run past the picture's right edge.
 */
export function labelsPlace(card: CardLayout, picture: { width: number; height: number }): LabelsPlace {
  const { w, h } = labelsSize(card.pod);
  const above = card.y - TIP.gap - TIP.edge;
  const below = picture.height - (card.y + card.h) - TIP.gap - TIP.edge;
  if (above >= h || below >= h) {
    const side = above >= h ? 'above' : 'below';
    const align = card.x - TIP.edge + Math.max(w, card.w) <= picture.width || card.x + card.w + TIP.edge - w < 0 ? 'start' : 'end';
    return { side, align };
  }
  const right = picture.width - (card.x + card.w) - TIP.gap;
  const left = card.x - TIP.gap;
  const side = right >= w || right >= left ? 'right' : 'left';
  const align = card.y - TIP.edge + h <= picture.height || card.y + card.h + TIP.edge - h < 0 ? 'start' : 'end';
  return { side, align };
}
