// `npm run worker`: a separate process running outbox follow-ups from BullMQ. Not built yet.
if (!process.env.REDIS_URL) {
  console.error(
    'npm run worker runs outbox follow-ups (timers, call activities, thrown messages and signals) from BullMQ,\n' +
      'so it needs REDIS_URL pointing at Redis. Without Redis, `npm start` runs them in-process: no worker is needed.',
  );
} else {
  console.error('The BullMQ worker is not built yet; `npm start` runs the embedded dispatcher meanwhile.');
}
process.exit(1);
