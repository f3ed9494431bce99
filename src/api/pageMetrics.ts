/**
 * How the visualizer hands its mesh's metrics to `meshviz serve`: a PUT of
 * the Prometheus text to `PAGE_METRICS_PATH`, with `PAGE_METRICS_HEADER` set
 * (a header a page of another origin cannot send without a CORS preflight,
 * which the server refuses). The server serves the last text at
 * `/metrics`.
 */
export const PAGE_METRICS_PATH = '/api/page-metrics';
export const PAGE_METRICS_HEADER = 'x-meshviz-metrics';
/** The largest text the server takes. */
export const PAGE_METRICS_MAX_BYTES = 32 * 2 ** 20;
