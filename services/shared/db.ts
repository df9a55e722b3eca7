import path from 'node:path';
import knexFactory, { Knex } from 'knex';

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
