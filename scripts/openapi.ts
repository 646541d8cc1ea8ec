// `npm run openapi`: writes docs/openapi.json from the route schemas. Run it after changing a route;
// runtime-api/test/openapi-document.test.ts fails while the committed file is stale.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OPENAPI_FILE, openApiText } from './openapi-document.ts';

await writeFile(OPENAPI_FILE, await openApiText());
console.log(`wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`);
