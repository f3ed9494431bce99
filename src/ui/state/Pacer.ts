import type { CardFact } from '../stats/cardFacts.ts';
import type { LiveHub } from './LiveHub.ts';
import { LiveSchedule } from './LiveSchedule.ts';
import type { Scene } from './Scene.ts';

/** Virtual µs per wall-clock millisecond at 1×: the speed is a real-time factor. */
export const MICROS_PER_MS = 1_000;
/** Panels follow playback ten times a second; with this many requests on screen, twice. */
const BUSY_TRACKS = 200;
/** A frame never moves the picture on by more than this much wall time (after a stall, playback slows instead of jumping). */
const MAX_FRAME_MS = 100;

/**
 * The per-frame work of keeping the page in step with playback: moves the
 * picture on, forgets old requests once a second, and refreshes the panels
 * and cards that follow playback on the turns `LiveSchedule` gives. A
 * second after the picture stands still, it stops refreshing anything.
 */
export class Pacer {
  private readonly schedule = new LiveSchedule({ calm: 100, busy: 500, turns: 4 });
  private sincePrune = 0;
  private stillFor = 0;

  constructor(private readonly hub: LiveHub) {}

  /** Everything was just refreshed: every channel starts its interval again. */
  refreshed(): void {
    this.schedule.reset();
    this.stillFor = 0;
  }

  /** `speed` 0 holds the picture still; `readCards` reads what the cards should show now. */
  frame(scene: Scene, wallMs: number, speed: number, readCards: () => (pod: string) => CardFact): void {
    const { driver } = scene;
    const tau = driver.tau;
    if (speed > 0) driver.moveTo(driver.tau + Math.min(wallMs, MAX_FRAME_MS) * MICROS_PER_MS * speed);
    this.stillFor = driver.tau === tau ? this.stillFor + wallMs : 0;
    this.sincePrune += wallMs;
    if (this.sincePrune > 1_000) {
      this.sincePrune = 0;
      driver.prune();
    }
    if (this.stillFor > 1_000) return;
    const turn = this.schedule.tick(wallMs, driver.tracks.size > BUSY_TRACKS);
    if (!turn) return;
    for (const channel of turn.channels) {
      if (channel !== 'cards') this.hub.notify(channel);
      else if (scene.cards.refreshNext(readCards(), turn.cardShare)) this.hub.notify('cards');
    }
  }
}
