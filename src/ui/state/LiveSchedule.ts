/** The parts of the page that follow playback. */
export type LiveChannel = 'cards' | 'clock' | 'stats' | 'grid' | 'log' | 'story';

export const LIVE_CHANNELS: readonly LiveChannel[] = ['cards', 'clock', 'stats', 'log', 'grid', 'story'];
const PANELS = LIVE_CHANNELS.filter((c) => c !== 'cards');

export interface LiveTimes {
  /** Wall ms between refreshes of everything while few requests are on screen. */
  calm: number;
  /** The same with hundreds of requests on screen. */
  busy: number;
  /** When busy, the refresh is split into this many turns, spread evenly over the interval. */
  turns: number;
}

/** What one refresh turn covers: some panels, and a share of the pod cards. */
export interface LiveTurn {
  channels: LiveChannel[];
  /** Fraction of the card slices to refresh (1 = all). */
  cardShare: number;
}

/**
 * When the panels and cards that follow playback refresh. Every refresh
 * costs a React commit, a layout, a paint of the page and a layerization,
 * whatever it changes, so there are few of them; with hundreds of requests
 * on screen each is split into `turns` smaller ones on different frames
 * (a few panels and a share of the cards each), so no single frame carries
 * the whole page.
 */
export class LiveSchedule {
  private since = 0;
  private turn = 0;

  constructor(private readonly times: LiveTimes) {}

  /** Moves the clock on by one frame's wall time; returns the turn due now, if any. */
  tick(wallMs: number, busy: boolean): LiveTurn | undefined {
    const turns = busy ? Math.max(1, this.times.turns) : 1;
    const every = (busy ? this.times.busy : this.times.calm) / turns;
    this.since += wallMs;
    if (this.since < every) return undefined;
    // Keep the remainder (turns stay on time), but never let a stall queue up several.
    this.since = Math.min(this.since - every, every / 2);
    const turn = this.turn++ % turns;
    return { channels: ['cards', ...PANELS.filter((_, i) => i % turns === turn)], cardShare: 1 / turns };
  }

  /** Everything was just refreshed (a control changed): the next refresh is a full interval away. */
  reset(): void {
    this.since = 0;
  }
}
