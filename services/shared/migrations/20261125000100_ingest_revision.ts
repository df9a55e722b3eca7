import { Knex } from 'knex';

/**
 * Corrections (contract v2): the gateway keeps, per (department, type, eventId), a hash of the
 * content it last published and that content's revision, so that a resubmission with different
 * content is published again as revision + 1, and when the hub first learned of the event.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('ingest_event', (t) => {
    // SHA-256 (hex) of the validated value without ingestedAt, source, revision, firstIngestedAt.
    // Null for records accepted before this migration: their next resubmission counts as a
    // correction, since what they held cannot be compared.
    t.string('content_hash', 64).nullable();
    t.integer('revision').notNullable().defaultTo(1);
    // ingestedAt of revision 1.
    t.timestamp('first_ingested_at', { useTz: true }).nullable();
  });
  await knex.raw('update ingest_event set first_ingested_at = accepted_at');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('ingest_event', (t) => {
    t.dropColumn('content_hash');
    t.dropColumn('revision');
    t.dropColumn('first_ingested_at');
  });
}
