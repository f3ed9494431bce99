import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The visualizer: index.html at the project root, code in src/ui, built into dist/.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { host: '127.0.0.1' },
});
