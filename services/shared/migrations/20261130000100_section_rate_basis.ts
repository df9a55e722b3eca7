import { Knex } from 'knex';

/**
 * What the sections' insured-worker counts were computed from: the Shanghai day
 * and a fingerprint of every input the count reads (enrolment facts, aliases, industry codes).
 * A sweep whose day and fingerprint match reuses the counts instead of sorting every enrolment
 * again (sectionRates.ts). One row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('section_rate_basis', (t) => {
    t.smallint('id').primary().defaultTo(1);
    t.string('day', 10).notNullable(); // 'YYYY-MM-DD', Shanghai
    t.text('fingerprint').notNullable();
    t.timestamp('computed_at', { useTz: true }).notNullable();
  });
  await knex.raw('alter table section_rate_basis add constraint section_rate_basis_one_row check (id = 1)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('section_rate_basis');
}
