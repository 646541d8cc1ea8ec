// `serviceloom_expect(ok, sqlstate, message)`: fails the statement (and so its transaction) with
// that SQLSTATE unless `ok` is true. A step's writes and its COMMIT go to PostgreSQL in one
// round trip, so a check that would otherwise read a row count back and roll back in code is made
// in SQL instead, ahead of the COMMIT: if it fails, the COMMIT becomes a rollback.
import type { Knex } from 'knex';

/** SQLSTATEs for `serviceloom_expect` (class SL: ServiceLoom's own). */
export const EXPECTATION_FAILED = {
  /** An instance's row moved on under a step (a writer skipped the row lock). */
  instanceMoved: 'SLX01',
  /** A start used a version of its process that is no longer the latest (another server deployed). */
  staleDefinition: 'SLX02',
} as const;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE FUNCTION serviceloom_expect(ok boolean, sqlstate text, message text) RETURNS boolean
    LANGUAGE plpgsql AS $$
    BEGIN
      IF ok IS NOT TRUE THEN
        RAISE EXCEPTION USING ERRCODE = sqlstate, MESSAGE = message;
      END IF;
      RETURN true;
    END $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION serviceloom_expect(boolean, text, text)');
}
