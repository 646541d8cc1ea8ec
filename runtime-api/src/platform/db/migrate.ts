import { migrationSource } from '@serviceloom/migrations';
import type { Db } from './connect.ts';

/** Brings the schema up to date; runs at every start. */
export async function migrate(db: Db): Promise<void> {
  await db.migrate.latest({ migrationSource });
}
