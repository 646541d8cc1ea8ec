// `serviceloom_expect(ok, message)`: fails the statement (and so its transaction) with SQLSTATE
// EXPECTATION_FAILED unless `ok` is true. A step's writes and its COMMIT go to PostgreSQL in one
// round trip, so a check that would otherwise read a row count back and roll back in code is made
// in SQL instead, ahead of the COMMIT: if it fails, the COMMIT becomes a rollback.
import type { Knex } from 'knex';

/** The SQLSTATE of a failed `serviceloom_expect` (class SL: ServiceLoom's own). */
export const EXPECTATION_FAILED = 'SLX01';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE FUNCTION serviceloom_expect(ok boolean, message text) RETURNS boolean
    LANGUAGE plpgsql AS $$
    BEGIN
      IF ok IS NOT TRUE THEN
        RAISE EXCEPTION USING ERRCODE = '${EXPECTATION_FAILED}', MESSAGE = message;
      END IF;
      RETURN true;
    END $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION serviceloom_expect(boolean, text)');
}
