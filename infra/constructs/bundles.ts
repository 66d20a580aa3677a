/**
 * The Lambda bundles of a synth: every catalogue handler built by esbuild in
 * one call, the first time a function of the app asks for its code, then
 * handed to each function's asset.
 *
 * One call instead of one esbuild process per function (what NodejsFunction
 * does): the ~80 handlers share most of their modules (the AWS SDK above
 * all), which one build parses once. Measured here: `npm run synth` took
 * about two minutes with a process per function (see the README).
 *
 * The settings are those NodejsFunction would use for these props (ESM,
 * `node24` target, minified, `module` before `main`, the `require` banner,
 * source maps without sources, the AWS SDK bundled) and `npm run
 * bundle-sizes` and the bench build with the same ones
 * ({@link lambdaBuildOptions}), so what they measure is what is deployed.
 * The source map ships beside each bundle, for reading stack traces;
 * `--enable-source-maps` is not set (as before): it costs cold-start time.
 * A synth that skips bundling (`aws:cdk:bundling-stacks`, as the in-process
 * infra tests do) never builds.
 */
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildSync, type BuildOptions } from 'esbuild';
import { functions, handlerEntry } from '../../functions/catalog.ts';

/** esbuild has no `require` in ESM output; some bundled CommonJS dependencies still call it. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** The esbuild settings of every Lambda bundle (source maps are added for deployment). */
export function lambdaBuildOptions(projectRoot: string): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    logLevel: 'warning',
    tsconfig: path.join(projectRoot, 'tsconfig.json'),
  };
}

/** The file a function's bundle is in (the handler is `index.handler`). */
export const BUNDLE_FILE = 'index.mjs';

const builtFor = new Map<string, string>();

/** Builds every catalogue handler that has a file, once per project root and process; returns the folder holding `<name>/index.mjs`. */
function buildAll(projectRoot: string): string {
  const done = builtFor.get(projectRoot);
  if (done) return done;
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'exam-site-bundles-'));
  const entryPoints = functions
    .map((spec) => ({ in: path.join(projectRoot, handlerEntry(spec.name)), out: `${spec.name}/index` }))
    .filter((entry) => existsSync(entry.in));
  buildSync({ ...lambdaBuildOptions(projectRoot), entryPoints, outdir, outExtension: { '.js': '.mjs' }, sourcemap: true, sourcesContent: false });
  builtFor.set(projectRoot, outdir);
  return outdir;
}

/**
 * The code of one catalogue function: its bundle and source map, staged as
 * the function's asset (hashed by its output, so an unchanged bundle keeps
 * its asset and a changed one gets a new one).
 */
export function bundledCode(projectRoot: string, name: string, entry: string): lambda.Code {
  const fromCatalogue = path.resolve(entry) === path.join(projectRoot, handlerEntry(name));
  return lambda.Code.fromAsset(projectRoot, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: the local build below always answers. Docker is not needed to synth.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
      // Names the function and its entry in the bundling options, which CDK's asset cache keys on: without them every function would get the first one's bundle.
      command: ['bundle', name, path.relative(projectRoot, entry)],
      local: {
        tryBundle(outputDir: string): boolean {
          if (!fromCatalogue) {
            // An entry of its own (a test's stub): built alone.
            buildSync({ ...lambdaBuildOptions(projectRoot), entryPoints: [entry], outfile: path.join(outputDir, BUNDLE_FILE), sourcemap: true, sourcesContent: false });
            return true;
          }
          const from = path.join(buildAll(projectRoot), name);
          copyFileSync(path.join(from, BUNDLE_FILE), path.join(outputDir, BUNDLE_FILE));
          copyFileSync(path.join(from, `${BUNDLE_FILE}.map`), path.join(outputDir, `${BUNDLE_FILE}.map`));
          return true;
        },
      },
    },
  });
}
