import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

/** The four municipalities: one prefecture-level unit (`<pp>0100`) each, drawn by district. */
const MUNICIPALITIES = ['11', '12', '31', '50'];

interface GeoFeature {
  id?: string | number;
  properties: { name: string; code?: string; [k: string]: unknown };
}

/**
 * Offline map data for the coverage map (Art.8): the China and province
 * maps that echarts 4.9 shipped (package alias `echarts-map-data`), emitted
 * as `maps/china.json` and `maps/<GB/T 2260 province code>.json`, each
 * feature's code in `properties.code`, and `maps/city-names.json` (city code
 * → name). Served by the portal itself: nothing is fetched from elsewhere at
 * run time.
 */
function offlineMapData(): Plugin {
  return {
    name: 'offline-map-data',
    apply: 'build',
    generateBundle() {
      const require = createRequire(import.meta.url);
      const dir = join(dirname(require.resolve('echarts-map-data/package.json')), 'map', 'json');
      const read = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as { features: GeoFeature[] };
      const names: Record<string, string> = {};
      const china = read('china.json');
      for (const f of china.features) {
        const code = String(f.id ?? f.properties.id ?? '');
        f.properties.code = code;
        if (MUNICIPALITIES.includes(code.slice(0, 2))) names[`${code.slice(0, 2)}0100`] = f.properties.name;
      }
      this.emitFile({ type: 'asset', fileName: 'maps/china.json', source: JSON.stringify(china) });
      for (const file of readdirSync(join(dir, 'province'))) {
        const geo = read(join('province', file));
        for (const f of geo.features) f.properties.code = String(f.id ?? '');
        const first = geo.features.map((f) => f.properties.code!).find((c) => /^\d{6}$/.test(c));
        if (!first) continue;
        for (const f of geo.features) if (/^\d{4}00$/.test(f.properties.code!) && !f.properties.code!.endsWith('0000')) names[f.properties.code!] = f.properties.name;
        this.emitFile({ type: 'asset', fileName: `maps/${first.slice(0, 2)}0000.json`, source: JSON.stringify(geo) });
      }
      this.emitFile({ type: 'asset', fileName: 'maps/city-names.json', source: JSON.stringify(names) });
    },
  };
}

/**
 * The portal build: Preact through Vite's own JSX transform (no framework
 * plugin needed), output in web/dist, which the local gateway serves at `/`
 * and CDK uploads to the portal bucket. No inline script or style is
 * emitted, so the CloudFront CSP can stay at `script-src 'self'`. The
 * charts (echarts) are a chunk of their own, loaded when a page draws one.
 */
export default defineConfig({
  root: webRoot,
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [offlineMapData()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: ['chrome109', 'firefox115'],
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
    // The charting chunk (echarts, tree-shaken) is about 630 KB and loaded only with a chart.
    chunkSizeWarningLimit: 700,
  },
  server: {
    // The schemas and domain labels live one folder up: imported, not copied.
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
  },
});
