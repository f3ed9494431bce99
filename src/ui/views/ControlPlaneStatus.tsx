import { formatClock } from '../format/formatNumbers.ts';
import { useLiveController } from './ControllerContext.ts';

/** istiod as the proxies feel it: up or down, a push on its way and when it lands, changes waiting, the last push. */
export function ControlPlaneStatus() {
  const c = useLiveController('clock');
  const cp = c.scene.live.controlPlane();
  const state = !cp.up ? 'down' : cp.pushing ? 'pushing' : 'idle';
  return (
    <p className={`istiod istiod-${state}`} data-testid="istiod-status" data-state={state} role="status">
      <strong>istiod {cp.up ? 'up' : 'down'}</strong>
      {' · '}
      {cp.pushing
        ? `pushing config v${cp.pushing.version}: the sidecars get it at ${formatClock(cp.pushing.at)}`
        : !cp.up
          ? `${cp.waiting} change${cp.waiting === 1 ? '' : 's'} waiting; the sidecars keep the config they have`
          : cp.lastPush
            ? `config v${cp.lastPush.version} pushed at ${formatClock(cp.lastPush.at)}`
            : 'the sidecars run the config as loaded'}
    </p>
  );
}
