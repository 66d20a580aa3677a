/**
 * The portal's size as a browser loads it (`npm run portal-size`, after
 * `npm run build:web`): the first load is what web/dist/index.html pulls in
 * (its module script, the modules it preloads, its style sheets); the
 * lazily loaded chunks (charts, map) and the map data come only when a page
 * needs them. Raw and gzip bytes; `--json` prints them as JSON.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', 'web', 'dist');
if (!existsSync(join(dist, 'index.html'))) {
  console.error('web/dist is missing: run `npm run build:web` first');
  process.exit(1);
}

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const firstLoad = [...html.matchAll(/(?:src|href)="\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);

function sizes(files: readonly string[]): { raw: number; gzip: number } {
  return files.reduce(
    (sum, f) => {
      const bytes = readFileSync(join(dist, f));
      return { raw: sum.raw + bytes.byteLength, gzip: sum.gzip + gzipSync(bytes).byteLength };
    },
    { raw: 0, gzip: 0 },
  );
}

function filesUnder(dir: string, ext: RegExp): string[] {
  const full = join(dist, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(join(dist, rel)).isDirectory()) return filesUnder(rel, ext);
    return ext.test(name) ? [rel] : [];
  });
}

const allAssets = filesUnder('assets', /\.(js|css)$/);
const lazy = allAssets.filter((f) => !firstLoad.includes(f));
const maps = filesUnder('maps', /\.json$/);
const report = { firstLoad: { files: firstLoad, ...sizes(firstLoad) }, lazy: { files: lazy.length, ...sizes(lazy) }, maps: { files: maps.length, ...sizes(maps) } };

if (process.argv.includes('--json')) console.log(JSON.stringify(report, null, 1));
else {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`first load: ${firstLoad.join(', ')}: ${kb(report.firstLoad.raw)} (gzip ${kb(report.firstLoad.gzip)})`);
  console.log(`lazy chunks: ${lazy.length} files, ${kb(report.lazy.raw)} (gzip ${kb(report.lazy.gzip)})`);
  console.log(`map data: ${maps.length} files, ${kb(report.maps.raw)} (gzip ${kb(report.maps.gzip)})`);
}
