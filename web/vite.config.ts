import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * The portal build: Preact through Vite's own JSX transform (no framework
 * plugin needed), output in web/dist, which the local gateway serves at `/`
 * and CDK uploads to the portal bucket. No inline script or style is
 * emitted, so the CloudFront CSP can stay at `script-src 'self'`.
 */
export default defineConfig({
  root: webRoot,
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: ['chrome109', 'firefox115'],
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    // The schemas and domain labels live one folder up: imported, not copied.
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
  },
});
