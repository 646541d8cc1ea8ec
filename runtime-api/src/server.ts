// `npm start`: build the server from the environment and listen until told to stop.
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { closeOnSignals } from './shutdown.ts';

const config = loadConfig();
const app = await buildApp(config);

closeOnSignals(app, 'server');

try {
  await app.listen({ port: config.port, host: config.host });
} catch (e) {
  app.log.error(e);
  process.exit(1);
}
