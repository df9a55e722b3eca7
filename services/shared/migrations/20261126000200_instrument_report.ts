import { Knex } from 'knex';

/** The plan's other instruments as the reporter built them: 浮动费率建议, 检查计划, 命中率, 培训覆盖率. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('instrument_report', (t) => {
    t.string('kind', 32).notNullable(); // RATE_ADJUSTMENT | INSPECTION_PLAN | PRECISION | TRAINING_COVERAGE
    t.string('ref', 32).notNullable(); // '2024-2026', '2026-Q1', a day
    t.jsonb('content').notNullable();
    t.binary('xlsx').nullable();
    t.timestamp('built_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['kind', 'ref']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('instrument_report');
}
