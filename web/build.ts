import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the portal (web/dist) when it is missing or older than its sources:
 * `npm start` and the browser tests call it so that a fresh clone serves a
 * portal without a separate step. `node --import tsx web/build.ts [--force]`.
 */
const WEB = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(WEB, '..');
/** What the bundle is made of: the portal's sources and the schemas and domain labels it imports. */
const SOURCES = [join(WEB, 'src'), join(WEB, 'index.html'), join(WEB, 'vite.config.ts'), join(WEB, 'public'), join(ROOT, 'schemas'), join(ROOT, 'functions', 'domain')];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when web/dist/index.html is missing or older than any source. */
export function portalIsStale(): boolean {
  const built = join(WEB, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return SOURCES.some((s) => newestMtime(s) > builtAt);
}

/** Runs `vite build` with web/vite.config.ts unless the build is current; returns whether it built. */
export async function ensurePortalBuilt(options: { force?: boolean; quiet?: boolean } = {}): Promise<boolean> {
  if (!options.force && !portalIsStale()) return false;
  const { build } = await import('vite');
  await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: options.quiet ? 'warn' : 'info', mode: 'production' });
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await ensurePortalBuilt({ force: process.argv.includes('--force') });
  if (!built) console.log('[portal] web/dist is up to date');
}
