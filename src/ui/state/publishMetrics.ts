import { PAGE_METRICS_HEADER, PAGE_METRICS_PATH } from '../../api/index.ts';

/**
 * Hands the mesh's metrics text (`read`) to the server every `everyMs` of
 * wall time while it changes, so a Prometheus scraping `meshviz serve`'s
 * `/metrics` sees the mesh on the page. A server that does not take them
 * (a static host, Vite's dev server: 404 or 405) is not asked again.
 * Returns a function that stops it.
 */
export function publishMetrics(read: () => string, everyMs = 5_000): () => void {
  let last = '';
  let busy = false;
  let stopped = false;
  const send = async () => {
    if (busy || stopped) return;
    const text = read();
    if (text === last) return;
    busy = true;
    try {
      const res = await fetch(PAGE_METRICS_PATH, { method: 'PUT', headers: { 'content-type': 'text/plain; charset=utf-8', [PAGE_METRICS_HEADER]: '1' }, body: text });
      if (res.status === 404 || res.status === 405) stop();
      else if (res.ok) last = text;
    } catch {
      // The server went away: try again next time.
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void send(), everyMs);
  void send();
  function stop(): void {
    stopped = true;
    clearInterval(timer);
  }
  return stop;
}
