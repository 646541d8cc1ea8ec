// The web app's build: `npm run build -w web` writes web/dist, which runtime-api serves at `/`.
// `npm run dev -w web` serves it with hot reload and sends /api to a server on port 3000.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // The manifest lets scripts/bundle-budget.ts measure what a page loads first.
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4096, sourcemap: false, manifest: true },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
