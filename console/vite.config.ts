/**
 * Builds the admin console into console/dist, which Herald serves at /console
 * (src/console/routes.ts). `npx vite --config console/vite.config.ts` serves it for development,
 * passing /api to a Herald on localhost:3001.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: { proxy: { '/api': 'http://localhost:3001' } },
});
