// The build's route split, measured on the output of `npm run build:web` (which `npm run test:e2e`
// runs first): the portal's first load after signing in stays under its gzipped budget, and the
// designer's code (bpmn-js, diagram-js) loads only on designer routes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { DIST, firstLoadFiles, PORTAL_BUDGET_BYTES, PORTAL_PAGE, portalFirstLoad, readManifest } from '../scripts/bundle-budget.ts';

describe('the route split', () => {
  test(`the portal's first load is at most ${PORTAL_BUDGET_BYTES / 1024} kB gzipped`, () => {
    const { files, total } = portalFirstLoad();
    expect(files.length).toBeGreaterThan(1);
    expect(total, files.map((f) => `${f.file} ${f.gzip}`).join('\n')).toBeLessThanOrEqual(PORTAL_BUDGET_BYTES);
  });

  test('bpmn-js is not in the first load of any page but the designer', () => {
    const manifest = readManifest();
    // The ticket page's process diagram is the bpmn-js viewer itself: its own chunk, loaded after
    // the ticket shows (TicketPage's lazy ProcessDiagram), so it is no page's first load.
    const VIEWER = 'src/features/tickets/ProcessDiagram.tsx';
    const pages = Object.keys(manifest).filter(
      (k) => k.startsWith('src/features/') && !k.startsWith('src/features/designer/') && k !== VIEWER,
    );
    expect(pages).toContain(PORTAL_PAGE);
    for (const page of pages) {
      for (const file of firstLoadFiles(manifest, page).filter((f) => f.endsWith('.js'))) {
        expect(readFileSync(path.join(DIST, file), 'utf8'), `${page} loads ${file}`).not.toContain('djs-container');
      }
    }
    // The designer's page does carry it: the check above looks for the right thing.
    const designer = firstLoadFiles(manifest, 'src/features/designer/DesignerEdit.tsx').filter((f) => f.endsWith('.js'));
    expect(designer.some((file) => readFileSync(path.join(DIST, file), 'utf8').includes('djs-container'))).toBe(true);
  });
});
