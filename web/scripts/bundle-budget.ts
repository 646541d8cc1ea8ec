// What a page costs on its first load, measured from the build (web/dist and Vite's manifest): the
// entry's JS and CSS with every chunk they import statically, plus the page's own lazy chunk and its
// static imports, gzipped. `npx tsx web/scripts/bundle-budget.ts` prints the portal's figure and
// exits 1 over budget; web/e2e/bundle-budget.e2e.test.ts runs it after `npm run build:web`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
export type Manifest = Record<string, ManifestChunk>;

/** The portal (the requester's landing page) after signing in must load in at most this many gzipped bytes. */
// Issue 12's target. Measured 279 kB: the refusal's illustrations (antd Result's drawings) load
// only when a refusal shows, and the catalog's tiles are drawn without antd's Card, which imports
// its Tabs.
export const PORTAL_BUDGET_BYTES = 300 * 1024;
export const PORTAL_PAGE = 'src/features/portal/PortalPage.tsx';
const WEB = path.resolve(import.meta.dirname, '..');
export const DIST = path.join(WEB, 'dist');

/** The files (JS and CSS) the browser fetches to show a page: the entry's and the page's, with their static imports. */
export function firstLoadFiles(manifest: Manifest, pageModule: string): string[] {
  const entry = Object.entries(manifest).find(([, c]) => c.isEntry)?.[0];
  if (!entry) throw new Error('the manifest has no entry chunk');
  if (!manifest[pageModule]) throw new Error(`the manifest has no chunk for ${pageModule}`);
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the manifest names ${key} but has no entry for it`);
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    // Static imports load with the chunk; dynamic ones only when their route is visited.
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(entry);
  visit(pageModule);
  return [...files].sort();
}

export interface Measured {
  files: Array<{ file: string; gzip: number }>;
  total: number;
}

export function measure(dist: string, files: readonly string[]): Measured {
  const sized = files.map((file) => ({ file, gzip: gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length }));
  return { files: sized, total: sized.reduce((sum, f) => sum + f.gzip, 0) };
}

export function readManifest(dist = DIST): Manifest {
  return JSON.parse(readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8')) as Manifest;
}

/** The portal's first load in gzipped bytes, from the build in `dist`. */
export function portalFirstLoad(dist = DIST): Measured {
  return measure(dist, firstLoadFiles(readManifest(dist), PORTAL_PAGE));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { files, total } = portalFirstLoad();
  for (const f of files) console.log(`${(f.gzip / 1024).toFixed(1).padStart(8)} kB  ${f.file}`);
  const verdict = total <= PORTAL_BUDGET_BYTES ? 'within' : 'OVER';
  console.log(`portal first load: ${(total / 1024).toFixed(1)} kB gzipped, ${verdict} the ${PORTAL_BUDGET_BYTES / 1024} kB budget`);
  if (total > PORTAL_BUDGET_BYTES) process.exit(1);
}
