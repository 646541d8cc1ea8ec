// @serviceloom/runtime-api: the server, for `npm start`, tests and the next pieces (BullMQ
// dispatch, workers) to build on.
export { type BuildOptions, buildApp } from './app.ts';
export type { Services } from './fastify.d.ts';
export { type Clock, realClock, TestClock } from './platform/clock.ts';
export { type Config, loadConfig } from './platform/config.ts';
export type { Db, Tx } from './platform/db/connect.ts';
export { Transactions, Work } from './platform/db/transactions.ts';
export type { OutboxDispatcher } from './platform/outbox/dispatcher.ts';
export { EmbeddedDispatcher } from './platform/outbox/embedded.ts';
export type { OutboxEntry, OutboxKind, OutboxMessage, OutboxPayloads } from './platform/outbox/messages.ts';
export { OutboxProcessor, type ProcessOutcome } from './platform/outbox/processor.ts';
export { FollowUps } from './process/follow-ups.ts';
