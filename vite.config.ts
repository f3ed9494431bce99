import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The YAML schema checks (`@kubernetes-models/*` and the validators they bring): most of the bytes, and they change least. */
const SCHEMAS = /node_modules[\\/](@kubernetes-models|kubernetes-models|ajv|ajv-formats|ajv-formats-draft2019|ajv-i18n|uri-js|fast-uri|smtp-address-parser|nearley|moo|discontinuous-range|railroad-diagrams|randexp|ret|punycode|is-cidr|cidr-regex|ip-regex|fast-deep-equal|json-schema-traverse)[\\/]/;

// The visualizer: index.html at the project root, code in src/ui, built into dist/.
// main.tsx paints a loading page with React alone; the simulator is a dynamic
// import, split into the app, `yaml` and the schemas so they download and
// compile in parallel (and stay cached while the app changes).
export default defineConfig({
  plugins: [react()],
  // The live p50/p99 use the CLI's HdrHistogram (telemetry). The package's browser
  // entry is a UMD file with its wasm and pako inside (66 kB gzip, not
  // tree-shakeable); the page gets the plain-JS histogram alone (≈ 7 kB gzip).
  resolve: { alias: [{ find: /^hdr-histogram-js$/, replacement: fileURLToPath(new URL('./src/telemetry/hdrHistogramBrowser.ts', import.meta.url)) }] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // The schemas chunk (1.6 MB, 140 kB gzip) is fetched after the first paint.
    chunkSizeWarningLimit: 1_700,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'schemas', test: SCHEMAS, priority: 2 },
            { name: 'yaml', test: /node_modules[\\/]yaml[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  server: { host: '127.0.0.1' },
});
