import { Knex } from 'knex';

/**
 * Bearer tokens of the ingest gateway: one department each, kept only as a SHA-256 hash so the
 * database never holds a usable token.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ingest_token', (t) => {
    t.string('token_hash', 64).primary(); // hex SHA-256 of the token
    t.string('department', 16).notNullable();
    t.string('label', 64).notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('revoked_at', { useTz: true }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ingest_token');
}
