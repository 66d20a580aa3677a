import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildBundles, handlerEntries, root, type BuiltBundle } from '../scripts/bundle-sizes.ts';

/**
 * Bundles against their floor (issue 11 item 1): every Lambda bundle, built
 * as the CDK stack builds it, beside a reference bundle of only the AWS SDK
 * it uses (same esbuild settings): its size, and its cold import time in a
 * fresh Node process (median of `runs`, less the median import of an empty
 * module). A ratio of 1 means the handler costs nothing beyond its SDK.
 *
 * "The SDK it uses" is read from esbuild's metafile: the `@aws-sdk/*`
 * packages that put bytes into the bundle, and of those the names the
 * project's own modules in the bundle import (a `…Command` or `…Client`
 * whose own file the bundle left out is left out too). The reference
 * re-exports exactly those names, so it holds the clients, their commands
 * and middleware, and nothing of ours.
 */
export interface BundleFigure {
  readonly name: string;
  readonly bytes: number;
  readonly importMs: number;
  readonly reference: { readonly sdk: readonly string[]; readonly bytes: number; readonly importMs: number };
  /** Null for a handler that uses no SDK (its reference would be an empty module). */
  readonly ratioSize: number | null;
  readonly ratioImport: number | null;
}

export interface BundleReport {
  readonly handlers: readonly BundleFigure[];
  readonly runs: number;
  readonly emptyImportMs: number;
  readonly limit: number;
  readonly overSize: number;
  readonly overImport: number;
  readonly seconds: number;
}

const SDK_PACKAGE = /node_modules\/(@aws-sdk\/[^/]+)\//;
const IMPORT = /import\s+(type\s+)?\{([^}]*)\}\s*from\s*['"](@aws-sdk\/[^'"]+)['"]/g;

const sourceCache = new Map<string, string>();
function source(file: string): string {
  let text = sourceCache.get(file);
  if (text === undefined) {
    text = readFileSync(path.join(root, file), 'utf8');
    sourceCache.set(file, text);
  }
  return text;
}

/** The reference entry of a bundle: `export { … } from '@aws-sdk/…'` for each SDK package it uses, or '' when it uses none. */
export function referenceEntry(bundle: BuiltBundle): { contents: string; sdk: string[] } {
  const inputs = Object.keys(bundle.inputs);
  const packages = new Set(inputs.map((p) => SDK_PACKAGE.exec(p)?.[1]).filter((p): p is string => p !== undefined));
  const names = new Map<string, Set<string>>();
  for (const file of inputs) {
    if (file.includes('node_modules/') || !/\.(ts|js|mjs)$/.test(file)) continue;
    for (const m of source(file).matchAll(IMPORT)) {
      const pkg = m[3]!;
      if (m[1] || !packages.has(pkg)) continue;
      for (const raw of m[2]!.split(',')) {
        const spec = raw.trim();
        if (!spec || spec.startsWith('type ')) continue;
        const name = spec.split(/\s+as\s+/)[0]!.trim();
        // A Command or Client has a file of its own: keep it only when the bundle kept that file.
        const own = inputs.some((p) => p.includes(`node_modules/${pkg}/`) && path.basename(p) === `${name}.js`);
        const ownFileExists = /(Command|Client)$/.test(name);
        if (ownFileExists && !own) continue;
        let set = names.get(pkg);
        if (!set) names.set(pkg, (set = new Set()));
        set.add(name);
      }
    }
  }
  const sdk = [...names.keys()].sort();
  const contents = sdk.map((pkg) => `export { ${[...names.get(pkg)!].sort().join(', ')} } from '${pkg}';`).join('\n');
  return { contents, sdk };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Imports one module in a fresh Node process; the milliseconds the import took, as that process measured it. */
function importOnce(probe: string, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [probe, file], { env: probeEnv, timeout: 60_000 }, (error, stdout, stderr) => {
      const ms = Number(stdout.trim().split('\n').pop());
      if (error || !Number.isFinite(ms)) reject(new Error(`importing ${path.basename(file)} failed: ${error?.message ?? ''}\n${stderr.slice(-2000)}`));
      else resolve(ms);
    });
  });
}

/** The environment a deployed function has (the handlers read nothing else at import). */
const probeEnv: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'BENCH',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TABLE_NAME: 'bench',
  EVIDENCE_BUCKET: 'bench',
  LOG_LEVEL: 'ERROR',
  POWERTOOLS_SERVICE_NAME: 'bench',
  POWERTOOLS_METRICS_NAMESPACE: 'bench',
};

/** Runs tasks with at most `limit` at once. */
async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]!();
      }
    }),
  );
  return out;
}

/**
 * Builds every handler and its reference, writes them to `.local/bench-bundles/`
 * and times their imports.
 */
export async function measureBundles(options: { runs?: number; concurrency?: number; limit?: number; appConfig: string; only?: readonly string[] }): Promise<BundleReport> {
  const started = performance.now();
  const runs = options.runs ?? 11;
  const concurrency = options.concurrency ?? 2;
  const limit = options.limit ?? 1.15;
  probeEnv.APP_CONFIG = options.appConfig;
  const dir = path.join(root, '.local', 'bench-bundles');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  let entries = handlerEntries();
  if (options.only) entries = Object.fromEntries(Object.entries(entries).filter(([name]) => options.only!.includes(name)));
  const handlers = await buildBundles(entries, { keepCode: true });
  // One reference per distinct SDK set (many handlers share one).
  const refOf = new Map<string, { key: string; sdk: string[] }>();
  const refEntries: Record<string, { contents: string }> = {};
  for (const h of handlers) {
    const ref = referenceEntry(h);
    let key = Object.keys(refEntries).find((k) => refEntries[k]!.contents === ref.contents);
    if (!key) {
      key = `ref-${Object.keys(refEntries).length}`;
      refEntries[key] = { contents: ref.contents || 'export {};' };
    }
    refOf.set(h.name, { key, sdk: ref.sdk });
  }
  const refs = new Map((await buildBundles(refEntries, { keepCode: true })).map((r) => [r.name, r]));
  for (const b of [...handlers, ...refs.values()]) writeFileSync(path.join(dir, `${b.name}.mjs`), b.code!);
  writeFileSync(path.join(dir, 'empty.mjs'), 'export {};\n');
  const probe = path.join(dir, 'probe.mjs');
  writeFileSync(
    probe,
    "import { performance } from 'node:perf_hooks';\nimport { pathToFileURL } from 'node:url';\nconst t = performance.now();\nawait import(pathToFileURL(process.argv[2]).href);\nconsole.log(String(performance.now() - t));\nprocess.exit(0);\n",
  );

  // Every module once per run (a reference shared by several handlers is timed once per run too); the runs follow one another,
  // so a busy moment on a shared machine falls on handlers and references alike.
  const modules = ['empty', ...refs.keys(), ...handlers.map((h) => h.name)];
  const times = new Map<string, number[]>(modules.map((m) => [m, []]));
  const tasks: Array<() => Promise<void>> = [];
  for (let run = 0; run < runs; run++) {
    for (const m of modules) tasks.push(async () => void times.get(m)!.push(await importOnce(probe, path.join(dir, `${m}.mjs`))));
  }
  await pool(tasks, concurrency);
  const empty = median(times.get('empty')!);
  const net = (m: string) => Math.max(median(times.get(m)!) - empty, 0.01);

  const figures: BundleFigure[] = handlers
    .map((h) => {
      const { key, sdk } = refOf.get(h.name)!;
      const ref = refs.get(key)!;
      return {
        name: h.name,
        bytes: h.bytes,
        importMs: net(h.name),
        reference: { sdk, bytes: ref.bytes, importMs: net(key) },
        ratioSize: sdk.length ? h.bytes / ref.bytes : null,
        ratioImport: sdk.length ? net(h.name) / net(key) : null,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    handlers: figures,
    runs,
    emptyImportMs: empty,
    limit,
    overSize: figures.filter((f) => (f.ratioSize ?? 0) > limit).length,
    overImport: figures.filter((f) => (f.ratioImport ?? 0) > limit).length,
    seconds: (performance.now() - started) / 1000,
  };
}

if (process.argv[1] === import.meta.filename) {
  const { localAppConfig } = await import('../local/local-config.ts');
  const { localPorts } = await import('../local/ports.ts');
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const report = await measureBundles({ appConfig: JSON.stringify(localAppConfig(localPorts(32000))), runs: Number(process.env.BENCH_IMPORT_RUNS ?? 11), only: only.length ? only : undefined });
  for (const f of report.handlers) {
    console.log(`${f.name.padEnd(30)} ${(f.bytes / 1024).toFixed(0).padStart(5)} KB ${f.importMs.toFixed(1).padStart(7)} ms | ref ${(f.reference.bytes / 1024).toFixed(0).padStart(5)} KB ${f.reference.importMs.toFixed(1).padStart(7)} ms | ${f.ratioSize?.toFixed(2) ?? 'n/a'} ${f.ratioImport?.toFixed(2) ?? 'n/a'}  ${f.reference.sdk.join(' ')}`);
  }
  console.log(`empty ${report.emptyImportMs.toFixed(1)} ms; over ${report.limit}: size ${report.overSize}, import ${report.overImport}; ${report.seconds.toFixed(0)} s`);
}
