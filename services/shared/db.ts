import fs from 'node:fs';
import path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import knexFactory, { Knex } from 'knex';
import pg from 'pg';
import type { DatabaseTls, HubConfig } from './config';

// SQL `date` stays a 'YYYY-MM-DD' string: as a JS Date it would be local midnight and shift a
// day under a UTC+8 server time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);

export type DbTarget = string | Pick<HubConfig, 'databaseUrl' | 'databaseTls'>;

/**
 * What node-postgres gets: the URL without its sslmode/sslrootcert (node-postgres would read
 * sslmode=require as verify-full; the hub keeps libpq's meaning, see DatabaseTls) and the TLS
 * options made from the validated configuration.
 */
export function pgConnection(to: DbTarget): { connectionString: string; ssl?: ConnectionOptions | false } {
  // A plain URL (tests, scripts) goes to node-postgres as it is.
  if (typeof to === 'string') return { connectionString: to };
  const { databaseUrl, databaseTls } = to;
  const url = new URL(databaseUrl);
  let connectionString = databaseUrl;
  if (url.searchParams.has('sslmode') || url.searchParams.has('sslrootcert')) {
    url.searchParams.delete('sslmode');
    url.searchParams.delete('sslrootcert');
    connectionString = url.toString();
  }
  return { connectionString, ...(databaseTls ? { ssl: pgTls(databaseTls) } : {}) };
}

function pgTls(t: DatabaseTls): ConnectionOptions {
  const ca = t.caFile ? fs.readFileSync(t.caFile, 'utf8') : undefined;
  if (t.mode === 'verify-full') return { rejectUnauthorized: true, ...(ca ? { ca } : {}) };
  // require: encrypted; with a CA file the chain is checked but not the host name (libpq verify-ca).
  if (ca) return { rejectUnauthorized: true, ca, checkServerIdentity: () => undefined };
  return { rejectUnauthorized: false };
}

/**
 * knex over PostgreSQL; the schema is owned by the migrations beside this file. Services pass
 * their configuration (TLS included); tests and scripts may pass a plain URL.
 */
export function createDb(to: DbTarget, poolMax = 10): Knex {
  const { connectionString, ssl } = pgConnection(to);
  return knexFactory({
    client: 'pg',
    connection: ssl === undefined ? connectionString : { connectionString, ssl },
    pool: { min: 0, max: poolMax },
    migrations: { directory: path.join(__dirname, 'migrations'), extension: 'ts', loadExtensions: ['.ts', '.js'] },
  });
}

export async function migrate(db: Knex): Promise<void> {
  await db.migrate.latest();
}
