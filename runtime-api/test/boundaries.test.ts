// The import rules of .dependency-cruiser.cjs (run by `npm run lint`), each shown catching a
// deliberately wrong import in a small tree laid out like the repository, and letting the right
// ones through.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const config = require('../../.dependency-cruiser.cjs');

/** file -> its source; each import names what it breaks, or 'ok'. */
const TREE: Record<string, string> = {
  'engine/src/pure.ts': `import { readFileSync } from 'node:fs';\nexport const a = readFileSync;`,
  'engine/src/server.ts': `import { b } from '../../runtime-api/src/process/core.ts';\nexport const e = b;`,
  'engine/src/ok.ts': `import { a } from './pure.ts';\nexport const ok = a;`,
  'runtime-api/src/platform/db/up.ts': `import { b } from '../../process/core.ts';\nexport const u = b;`,
  'runtime-api/src/platform/ok.ts': `import { u } from './db/up.ts';\nexport const ok = u;`,
  'runtime-api/src/forms/up.ts': `import { b } from '../process/core.ts';\nexport const f = b;`,
  'runtime-api/src/process/core.ts': `export const b = 1;`,
  'runtime-api/src/process/up.ts': `import { t } from '../modules/tickets/port-user.ts';\nexport const p = t;`,
  'runtime-api/src/process/port.ts': `import { b } from './core.ts';\nexport const port = b;`,
  'runtime-api/src/process/loop-a.ts': `import { y } from './loop-b.ts';\nexport const x = () => y;`,
  'runtime-api/src/process/loop-b.ts': `import { x } from './loop-a.ts';\nexport const y = () => x;`,
  'runtime-api/src/modules/tickets/port-user.ts': `import { port } from '../../process/port.ts';\nexport const t = port;`,
  'runtime-api/src/modules/tickets/sideways.ts': `import { s } from '../sla/clock.ts';\nexport const t2 = s;`,
  'runtime-api/src/modules/tickets/inside.ts': `import { b } from '../../process/core.ts';\nexport const t3 = b;`,
  'runtime-api/src/modules/sla/clock.ts': `export const s = 2;`,
  'web/src/page.ts': `import { b } from '../../runtime-api/src/process/core.ts';\nexport const w = b;`,
};

let dir: string;
let result: ICruiseResult;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'serviceloom-boundaries-'));
  for (const [file, source] of Object.entries(TREE)) {
    await mkdir(path.join(dir, path.dirname(file)), { recursive: true });
    await writeFile(path.join(dir, file), `${source}\n`);
  }
  const { tsConfig: _, ...options } = config.options;
  const reported = await cruise(['engine', 'runtime-api', 'web'], {
    ...options,
    baseDir: dir,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
  });
  result = reported.output as ICruiseResult;
});

afterAll(() => rm(dir, { recursive: true, force: true }));

const violations = () => result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);

describe('the import rules', () => {
  it.each([
    ['engine-no-io-builtins', 'engine/src/pure.ts', 'fs'],
    ['engine-is-pure', 'engine/src/server.ts', 'runtime-api/src/process/core.ts'],
    ['platform-imports-nothing-above-it', 'runtime-api/src/platform/db/up.ts', 'runtime-api/src/process/core.ts'],
    ['forms-below-the-process-core', 'runtime-api/src/forms/up.ts', 'runtime-api/src/process/core.ts'],
    ['process-below-identity-and-modules', 'runtime-api/src/process/up.ts', 'runtime-api/src/modules/tickets/port-user.ts'],
    ['modules-never-import-each-other', 'runtime-api/src/modules/tickets/sideways.ts', 'runtime-api/src/modules/sla/clock.ts'],
    ['modules-use-the-process-port', 'runtime-api/src/modules/tickets/inside.ts', 'runtime-api/src/process/core.ts'],
    ['ui-never-imports-server', 'web/src/page.ts', 'runtime-api/src/process/core.ts'],
  ])('%s catches %s importing %s', (rule, from, to) => {
    expect(violations()).toContain(`${rule}: ${from} -> ${to}`);
  });

  it('catches an import loop', () => {
    expect(
      violations()
        .filter((v) => v.startsWith('no-import-loops:'))
        .join('\n'),
    ).toContain('runtime-api/src/process/loop-a.ts');
  });

  it('lets the allowed imports through: a module using the process port, platform within itself, the engine within itself', () => {
    const fromAllowed = violations().filter((v) =>
      ['runtime-api/src/modules/tickets/port-user.ts ', 'runtime-api/src/platform/ok.ts ', 'engine/src/ok.ts '].some((f) =>
        v.includes(`: ${f}`),
      ),
    );
    expect(fromAllowed).toEqual([]);
  });
});
