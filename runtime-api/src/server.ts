// `npm start`: build the server from the environment and listen until told to stop; with
// SERVICELOOM_PROCESSES above 1, as that many processes sharing the port (cluster.ts).
import cluster from 'node:cluster';
import { buildApp } from './app.ts';
import { clusterRefusal, runPrimary } from './cluster.ts';
import { loadConfig } from './platform/config.ts';
import { closeOnSignals } from './platform/shutdown.ts';

const config = loadConfig();
const refusal = clusterRefusal(config);
if (refusal) {
  console.error(refusal);
  process.exit(1);
}

if (config.processes > 1 && cluster.isPrimary) {
  await runPrimary(config);
} else {
  const app = await buildApp(config);
  closeOnSignals(app, 'server');
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    app.log.error(e);
    process.exit(1);
  }
}
