import { LIVE_CHANNELS } from './LiveSchedule.ts';
import type { LiveChannel } from './LiveSchedule.ts';

/**
 * Who re-renders when: every view on a control change (`changed`), and the
 * views that follow playback when their live channel is refreshed (`notify`).
 */
export class LiveHub {
  /** Bumped by control and scenario changes. */
  version = 0;
  private readonly listeners = new Set<() => void>();
  private readonly live = new Map<LiveChannel, Set<() => void>>(LIVE_CHANNELS.map((c) => [c, new Set()]));

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  subscribeLive(channel: LiveChannel, listener: () => void): () => void {
    const set = this.live.get(channel) as Set<() => void>;
    set.add(listener);
    return () => set.delete(listener);
  }

  /** A control or the scenario changed: everything re-renders. */
  changed(): void {
    this.version += 1;
    for (const l of this.listeners) l();
    for (const channel of LIVE_CHANNELS) this.notify(channel);
  }

  notify(channel: LiveChannel): void {
    for (const l of this.live.get(channel) ?? []) l();
  }
}
