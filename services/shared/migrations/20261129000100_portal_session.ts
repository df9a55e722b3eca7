import { Knex } from 'knex';

/**
 * The console's sign-in (控制台登录): sessions kept in the database so that every portal
 * instance knows them, and sign-in attempts per client address for the rate limit.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('portal_session', (t) => {
    // SHA-256 of the cookie's secret: a copy of the table opens no session.
    t.string('session_hash', 64).primary();
    // The department token it was opened with: revoking the token ends its sessions at once.
    t.string('token_hash', 64).notNullable().index();
    // That token, encrypted with a key derived from the cookie's secret (AES-256-GCM), so that a
    // re-check recorded in the console goes to the gateway under the department's own token,
    // while the table alone cannot give the token back.
    t.text('token_sealed').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable().index();
  });
  await knex.schema.createTable('sign_in_attempt', (t) => {
    t.bigIncrements('id');
    t.string('client', 64).notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['client', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sign_in_attempt');
  await knex.schema.dropTable('portal_session');
}
