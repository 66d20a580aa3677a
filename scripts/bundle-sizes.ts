/**
 * Bundles every catalogue handler as the CDK stack does (esbuild, ESM, node24 target,
 * minified, AWS SDK bundled; see infra/constructs/bundles.ts) and prints
 * the size of each bundle, without its source map. `--json` prints the
 * figures as JSON. The build is exported for the bench (bench/bundles.ts),
 * which also builds reference bundles with the same settings.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { functions, handlerEntry } from '../functions/catalog.ts';
import { lambdaBuildOptions } from '../infra/constructs/bundles.ts';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The esbuild settings of a Lambda bundle, as the CDK stack builds it (infra/constructs/bundles.ts; source maps left out). */
export const LAMBDA_BUILD_OPTIONS: BuildOptions = { ...lambdaBuildOptions(root), logLevel: 'silent' };

/** One bundle: its minified bytes, the files that put bytes into it (paths relative to the repository), and its code when asked for. */
export interface BuiltBundle {
  readonly name: string;
  readonly bytes: number;
  /** Input path → bytes it contributed (inputs tree-shaken to nothing are left out). */
  readonly inputs: Readonly<Record<string, number>>;
  readonly code?: Uint8Array;
}

/**
 * Builds many bundles in one esbuild run (one entry point each, no code
 * splitting, so each output is the bundle its entry alone would give; the
 * shared modules are parsed once). `entries`: name → absolute path of the
 * entry module, or `{ contents }` for an entry written here (resolved from
 * the repository root).
 */
export async function buildBundles(entries: Readonly<Record<string, string | { contents: string }>>, options: { keepCode?: boolean } = {}): Promise<BuiltBundle[]> {
  const virtual = new Map<string, string>();
  const entryPoints: Array<{ in: string; out: string }> = [];
  for (const [name, entry] of Object.entries(entries)) {
    if (typeof entry === 'string') entryPoints.push({ in: entry, out: name });
    else {
      const file = path.join(root, `__bench_entry__${name}.js`);
      virtual.set(file, entry.contents);
      entryPoints.push({ in: file, out: name });
    }
  }
  const result = await build({
    ...LAMBDA_BUILD_OPTIONS,
    entryPoints,
    outdir: path.join(root, '.local', 'bundles'),
    outExtension: { '.js': '.mjs' },
    write: false,
    metafile: true,
    plugins: virtual.size
      ? [
          {
            name: 'entries-written-here',
            setup(b) {
              b.onResolve({ filter: /__bench_entry__/ }, (args) => (virtual.has(args.path) ? { path: args.path, namespace: 'bench-entry' } : undefined));
              b.onLoad({ filter: /.*/, namespace: 'bench-entry' }, (args) => ({ contents: virtual.get(args.path)!, loader: 'js', resolveDir: root }));
            },
          },
        ]
      : [],
  });
  const metafile: Metafile = result.metafile!;
  return entryPoints.map(({ out }) => {
    const outPath = Object.keys(metafile.outputs).find((p) => path.basename(p) === `${out}.mjs`);
    const meta = outPath ? metafile.outputs[outPath] : undefined;
    const file = result.outputFiles.find((f) => path.basename(f.path) === `${out}.mjs`);
    if (!meta || !file) throw new Error(`esbuild gave no output for ${out}`);
    const inputs = Object.fromEntries(Object.entries(meta.inputs).filter(([, v]) => v.bytesInOutput > 0).map(([p, v]) => [p, v.bytesInOutput]));
    return { name: out, bytes: file.contents.byteLength, inputs, code: options.keepCode ? file.contents : undefined };
  });
}

/** Every catalogue handler, name → absolute entry path. */
export function handlerEntries(): Record<string, string> {
  return Object.fromEntries(functions.map((spec) => [spec.name, path.join(root, handlerEntry(spec.name))]));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = (await buildBundles(handlerEntries())).map((b) => ({ name: b.name, bytes: b.bytes }));
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
}
