// @serviceloom/runtime-api: the server, for `npm start`, tests and the next pieces (BullMQ
// dispatch, workers) to build on.
export { type BuildOptions, buildApp } from './app.ts';
export { type Config, loadConfig } from './config.ts';
export type { Db, Tx } from './db/connect.ts';
export { Transactions, Work } from './db/transactions.ts';
export type { Services } from './fastify.d.ts';
export type { OutboxDispatcher } from './outbox/dispatcher.ts';
export { EmbeddedDispatcher } from './outbox/embedded.ts';
export { FollowUps } from './outbox/follow-ups.ts';
export type { OutboxEntry, OutboxKind, OutboxMessage, OutboxPayloads } from './outbox/messages.ts';
export { OutboxProcessor, type ProcessOutcome } from './outbox/processor.ts';
export { type Clock, realClock, TestClock } from './services/clock.ts';
