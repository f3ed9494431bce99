import { useId } from 'react';
import { formatClock } from '../format/formatNumbers.ts';
import { formatSpeed, SPEEDS, speedMeaning } from '../state/speeds.ts';
import { useLiveController } from './ControllerContext.ts';
import { appStopNote, describeStop } from './describeStop.ts';

/** Play, pause, step hop by hop, playback speed, and the simulated clock. */
export function PlaybackBar() {
  const c = useLiveController('clock');
  const id = useId();
  const { driver, live } = c.scene;
  const stop = driver.currentStop();
  const note = stop ? appStopNote(stop, driver.tracks.get(stop.requestId)) : undefined;
  const inFlight = driver.inFlightShown();
  return (
    <>
      <div className="playbar" role="toolbar" aria-label="Playback">
        <button type="button" className="btn" data-testid="play" data-playing={String(c.playing)} onClick={() => c.setPlaying(!c.playing)}>
          {c.playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <button type="button" className="btn" data-testid="step-back" onClick={() => c.stepBack()} aria-label="Step back one hop">
          ◀ Step
        </button>
        <button type="button" className="btn" data-testid="step-forward" onClick={() => c.stepForward()} aria-label="Step forward one hop">
          Step ▶
        </button>
        <span className="speed">
          <label htmlFor={`${id}-speed`}>Speed</label>
          <select id={`${id}-speed`} data-testid="speed" value={c.speed} onChange={(e) => c.setSpeed(Number(e.target.value))} title="real-time factor: at 1× a simulated millisecond takes a millisecond">
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {formatSpeed(s)}
              </option>
            ))}
          </select>
        </span>
        <span className="clock" data-testid="clock">
          simulated time <strong>{formatClock(driver.now)}</strong> at <strong data-testid="clock-speed">{formatSpeed(c.speed)}</strong>
          <br />
          {c.playing ? speedMeaning(c.speed) : 'paused'} · {inFlight} request{inFlight === 1 ? '' : 's'} in flight
        </span>
      </div>
      <div className="hopline" data-testid="current-hop" data-hop={stop?.key ?? ''} aria-live="polite">
        {stop ? (
          <>
            Last request is at: <strong>{describeStop(stop.key, (pod) => live.workloadOf(pod))}</strong>
            {note ? `, ${note}` : ''}
          </>
        ) : (
          'Send a request to watch it travel. Pause, then step through it hop by hop.'
        )}
      </div>
    </>
  );
}
