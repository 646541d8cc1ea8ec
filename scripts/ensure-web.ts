// `npm start` runs this first: builds the web app when web/dist is missing, so a fresh clone serves
// the app after `npm install && npm start`. `npm run build` always rebuilds.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (existsSync(path.join(root, 'web/dist/index.html'))) process.exit(0);
console.log('web/dist is missing: building the web app once (npm run build:web)');
const result = spawnSync('npm', ['run', 'build:web'], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
