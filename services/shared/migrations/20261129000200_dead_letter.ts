import { Knex } from 'knex';

/**
 * Rejected records (拒收记录) beside the dead-letter topic, so that the console can show a
 * department the rows it has to fix and why, without a Kafka consumer in the portal. Written by
 * the gateway in the batch's own transaction; no payload (what was sent stays in the topic,
 * with person IDs already pseudonymised), only where the record was and the reasons.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('dead_letter', (t) => {
    t.bigIncrements('id');
    t.string('department', 16).notNullable();
    t.string('event_type', 16).notNullable();
    t.string('source', 8).notNullable(); // API | FILE
    t.string('event_id', 128).nullable();
    t.integer('position').notNullable(); // index in the JSON array, or the file's row
    t.jsonb('reasons').notNullable(); // [{ field, reason }]
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.index(['department', 'received_at']);
    t.index(['received_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('dead_letter');
}
