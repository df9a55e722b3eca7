import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import pg from 'pg';

// SQL `date` stays a 'YYYY-MM-DD' string: as a JS Date it would be local midnight and shift a
// day under a UTC+8 server time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);

/** knex over PostgreSQL; the schema is owned by the migrations beside this file. */
export function createDb(databaseUrl: string, poolMax = 10): Knex {
  return knexFactory({
    client: 'pg',
    connection: databaseUrl,
    pool: { min: 0, max: poolMax },
    migrations: { directory: path.join(__dirname, 'migrations'), extension: 'ts', loadExtensions: ['.ts', '.js'] },
  });
}

export async function migrate(db: Knex): Promise<void> {
  await db.migrate.latest();
}
