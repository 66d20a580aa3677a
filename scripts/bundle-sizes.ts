/**
 * Bundles every catalogue handler as the CDK stack does (esbuild, ESM, node24 target,
 * minified, AWS SDK bundled; see infra/constructs/app-function.ts) and prints
 * the size of each bundle, without its source map. `--json` prints the
 * figures as JSON.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { functions, handlerEntry } from '../functions/catalog.ts';
import { ESM_REQUIRE_BANNER } from '../infra/constructs/app-function.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function bundleSize(entry: string): Promise<number> {
  const result = await build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    write: false,
    logLevel: 'silent',
    tsconfig: path.join(root, 'tsconfig.json'),
  });
  return result.outputFiles.reduce((sum, file) => sum + file.contents.byteLength, 0);
}

const rows: Array<{ name: string; bytes: number }> = [];
for (const spec of functions) rows.push({ name: spec.name, bytes: await bundleSize(handlerEntry(spec.name)) });
rows.sort((a, b) => a.name.localeCompare(b.name));
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(Object.fromEntries(rows.map((r) => [r.name, r.bytes])), null, 1));
} else {
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  for (const r of rows) console.log(`${r.name.padEnd(28)} ${kb(r.bytes).padStart(8)}`);
  const sizes = rows.map((r) => r.bytes).sort((a, b) => a - b);
  const median = sizes[Math.floor(sizes.length / 2)] ?? 0;
  console.log(`${rows.length} bundles: min ${kb(sizes[0] ?? 0)}, median ${kb(median)}, max ${kb(sizes.at(-1) ?? 0)}, total ${kb(sizes.reduce((a, b) => a + b, 0))}`);
}
