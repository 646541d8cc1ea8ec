// The one schema for PostgreSQL and PGlite, as knex migrations listed in code: knex's own file
// loader cannot import TypeScript under tsx, and a fixed list makes the order explicit.
import type { Knex } from 'knex';
import * as core from './001_core.ts';

export interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const migrations: ReadonlyArray<readonly [string, Migration]> = [['001_core', core]];

/** Pass as `migrationSource` to `knex.migrate.latest()`. */
export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => migrations.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = migrations.find(([n]) => n === name);
    if (!found) throw new Error(`unknown migration ${name}`);
    return found[1];
  },
};
