import { Knex } from 'knex';

/**
 * The portal and the reporter are separate processes: the portal asks for a risk list or a
 * document by writing a request row (and NOTIFY), the reporter takes it, builds, stores and
 * marks it done. Documents are numbered by the correlator when issued, so the reporter no longer
 * assigns 发文字号: the numbering columns of `document` become optional, and a stored document
 * remembers the stamp of the content it was rendered from.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('report_request', (t) => {
    t.bigIncrements('request_id');
    t.string('kind', 24).notNullable(); // RISK_LIST | DOCUMENT
    t.string('ref', 128).notNullable(); // '2026-W47' | 'RECOMMENDATION:REC-…' | 'NOTICE:NTC-…'
    t.jsonb('params').notNullable().defaultTo('{}'); // { at } for a list, { format } for a document
    t.string('requested_by', 16).notNullable();
    t.string('status', 8).notNullable().defaultTo('PENDING'); // PENDING | RUNNING | DONE | FAILED
    t.jsonb('result').nullable(); // what was built, or { code, message } when it failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('started_at', { useTz: true }).nullable();
    t.timestamp('finished_at', { useTz: true }).nullable();
    t.index(['status', 'request_id']);
    t.index(['kind', 'ref', 'status']);
  });

  await knex.schema.alterTable('document', (t) => {
    t.string('source_stamp', 64).nullable();
    t.integer('year').nullable().alter();
    t.integer('seq').nullable().alter();
    t.string('document_number', 64).nullable().alter();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('document', (t) => {
    t.dropColumn('source_stamp');
  });
  await knex.schema.dropTableIfExists('report_request');
}
