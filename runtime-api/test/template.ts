// Creating a PGlite database runs initdb, which takes seconds; opening a copy of one takes a
// fraction of that. Tests copy a migrated, seeded template kept in the temp dir, keyed by
// everything that shapes its content, and built at most once per change.
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const INPUTS = [
  'migrations/src',
  'runtime-api/src/identity/seed.ts',
  'runtime-api/src/identity/users.ts',
  'runtime-api/src/identity/groups.ts',
  'runtime-api/src/identity/profile.ts',
  'runtime-api/src/platform/audit.ts',
  'runtime-api/src/platform/db/transactions.ts',
  'runtime-api/src/forms/forms.ts',
  'templates/bpmn',
  'templates/src',
  'runtime-api/src/platform/db/connect.ts',
  'runtime-api/src/platform/auth/passwords.ts',
  'node_modules/@electric-sql/pglite/package.json',
];

async function files(p: string): Promise<string[]> {
  const s = await stat(p);
  if (!s.isDirectory()) return [p];
  const entries = await readdir(p);
  return (await Promise.all(entries.sort().map((e) => files(path.join(p, e))))).flat();
}

async function templateKey(password: string): Promise<string> {
  const hash = createHash('sha256').update(password);
  for (const input of INPUTS) for (const f of await files(path.join(root, input))) hash.update(f).update(await readFile(f));
  return hash.digest('hex').slice(0, 16);
}

const STALE_AFTER_MS = 24 * 3600_000;

/** A data dir holding a copy of the template, ready for one test file. */
export async function freshDataDir(password: string, build: (dir: string) => Promise<void>): Promise<string> {
  const base = path.join(tmpdir(), 'serviceloom-pglite-templates');
  await mkdir(base, { recursive: true });
  const template = path.join(base, await templateKey(password));
  if (!(await exists(template))) {
    const building = await mkdtemp(path.join(base, 'building-'));
    await build(building);
    // Atomic: of two files building at once, one rename wins and the other copy is dropped.
    await rename(building, template).catch(() => rm(building, { recursive: true, force: true }));
    // Templates of older schemas are of no further use once a day old. Not at once: checkouts of
    // other branches on the same machine share this folder and may be using theirs right now.
    for (const entry of await readdir(base)) {
      const other = path.join(base, entry);
      if (entry !== path.basename(template) && Date.now() - (await stat(other)).mtimeMs > STALE_AFTER_MS)
        await rm(other, { recursive: true, force: true });
    }
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'serviceloom-test-'));
  await cp(template, dir, { recursive: true });
  return dir;
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );
