import { Knex } from 'knex';

/** Ingest bookkeeping: which (department, type, eventId) have been accepted, for idempotency. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ingest_event', (t) => {
    t.string('department', 16).notNullable();
    t.string('event_type', 16).notNullable();
    t.string('event_id', 128).notNullable();
    t.string('employer_key', 160).notNullable();
    // 'pending' while the record is on its way to Kafka; a crash leaves it pending, and a
    // resubmission then sends it again rather than calling it a duplicate (nothing is lost).
    t.string('state', 8).notNullable().defaultTo('pending');
    t.timestamp('accepted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['department', 'event_type', 'event_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ingest_event');
}
