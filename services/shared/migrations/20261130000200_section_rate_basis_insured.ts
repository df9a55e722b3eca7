import { Knex } from 'knex';

/**
 * The insured-worker counts per section kept in the basis row itself: what the fingerprint vouches
 * for travels with it, so a reuse never reads `section_rate` rows that someone else may have
 * emptied or written (a reset, a test, a hand fix). Null until the next sweep counts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('section_rate_basis', (t) => {
    t.jsonb('insured').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('section_rate_basis', (t) => {
    t.dropColumn('insured');
  });
}
