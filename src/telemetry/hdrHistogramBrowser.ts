// A named export: CommonJS default exports reach the dev server and the build differently.
import { constructorFromBucketSize } from 'hdr-histogram-js/dist/JsHistogramFactory.js';
import type { BuildRequest, Histogram } from 'hdr-histogram-js';

/**
 * hdr-histogram-js's `build` for the browser bundle, which vite.config.ts
 * aliases `hdr-histogram-js` to. The package's browser entry is one UMD file
 * carrying its WebAssembly build and pako (167 kB, 66 kB gzip) that cannot be
 * tree-shaken; `LatencyHistogram` needs only the plain-JS histogram, which is
 * what the package's `build` makes when WebAssembly is not asked for
 * (HistogramBuilder.js; defaults bitBucketSize 32, autoResize on,
 * highestTrackableValue 2).
 */
export function build(request: BuildRequest = {}): Histogram {
  if (request.useWebAssembly) throw new Error('the browser bundle carries no WebAssembly HdrHistogram');
  const Histogram = constructorFromBucketSize(request.bitBucketSize ?? 32);
  const histogram = new Histogram(request.lowestDiscernibleValue ?? 1, request.highestTrackableValue ?? 2, request.numberOfSignificantValueDigits ?? 3);
  histogram.autoResize = request.autoResize ?? true;
  return histogram;
}
