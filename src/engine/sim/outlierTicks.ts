import { onIntervalTick } from '../proxy/index.ts';
import { Task } from './Task.ts';
import { ejectionsChanged } from './cluster.ts';
import type { ClusterRuntime, World } from './World.ts';
import { watching, emitMesh } from './request.ts';
import { proxyKeyWhere } from './ambient.ts';

/**
 * Envoy's outlier interval timer (§3.4). It runs on a fixed grid from config
 * time (t = 0); meshviz only keeps it scheduled while there is something for a
 * tick to do (an ejected host, or an ejection multiplier still decaying), and
 * re-joins the same grid when it starts again, so the result is the same as a
 * timer that never stopped.
 */
export function startOutlierTicks(w: World, proxy: string, cr: ClusterRuntime): void {
  const cfg = cr.config.outlier;
  if (!cfg || cr.ticking) return;
  cr.ticking = true;
  const next = (Math.floor(w.now / cfg.interval) + 1) * cfg.interval;
  w.queue.push(next, Task.outlierTick, 0, 0, { proxy, cluster: cr.config.name });
}

export function onOutlierTick(w: World, proxy: string, cr: ClusterRuntime): void {
  const cfg = cr.config.outlier;
  if (!cfg) return;
  const returned = onIntervalTick(cr.outlier, cfg, w.now);
  if (returned.length > 0) ejectionsChanged(cr);
  for (const { pod, ejectedFor } of returned) {
    w.counters?.unejected(proxy, cr.config.name, pod, ejectedFor);
    w.telemetry?.unejected(w.now, cr.config.name);
    if (watching(w)) emitMesh(w, { t: w.now, requestId: 0, attempt: 0, where: proxyKeyWhere(w, proxy), kind: 'outlier.uneject', clientPod: proxy, cluster: cr.config.name, endpoint: pod, ejectedFor });
  }
  const busy = Object.values(cr.outlier).some((h) => h.ejected || h.ejectionMultiplier > 0);
  if (busy) w.queue.push(w.now + cfg.interval, Task.outlierTick, 0, 0, { proxy, cluster: cr.config.name });
  else cr.ticking = false;
}
