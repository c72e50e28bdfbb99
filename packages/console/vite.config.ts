/**
 * Vite build of the account console. A relative base, so one build serves every realm's
 * `/realms/{realm}/account/`; no inline scripts or styles, so the page runs under a strict CSP.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Inlined assets would be data: URLs; keep everything in files served from this origin.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
