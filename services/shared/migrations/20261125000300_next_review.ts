import { Knex } from 'knex';

/** The day an employer's history next changes with time alone: the sweep looks at no one before. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('employer', (t) => {
    t.date('next_review').nullable();
    t.index(['next_review']);
  });
  // Employers evaluated before this column existed are looked at by the next sweep.
  await knex('employer').update({ next_review: knex.raw('current_date') });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('employer', (t) => {
    t.dropIndex(['next_review']);
    t.dropColumn('next_review');
  });
}
