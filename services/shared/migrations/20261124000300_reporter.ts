import { Knex } from 'knex';

/**
 * The reporter's output: weekly risk lists (stored once per ISO week, the content as JSON and
 * the XLSX as delivered) and official documents with their 发文字号, numbered per kind and year.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('risk_list', (t) => {
    t.string('week', 8).primary(); // '2026-W47'
    t.timestamp('as_of', { useTz: true }).notNullable();
    t.timestamp('generated_at', { useTz: true }).notNullable();
    t.integer('employer_count').notNullable();
    t.integer('priority_count').notNullable();
    t.jsonb('content').notNullable(); // RiskList
    t.binary('xlsx').notNullable();
  });

  await knex.schema.createTable('document', (t) => {
    t.string('document_id', 96).primary(); // '<kind>:<ref_id>'
    t.string('kind', 16).notNullable(); // RECOMMENDATION | NOTICE
    t.string('ref_id', 64).notNullable();
    t.integer('year').notNullable();
    t.integer('seq').notNullable();
    t.string('document_number', 64).notNullable(); // e.g. 宿工预建〔2026〕12号
    t.binary('docx').nullable();
    t.binary('pdf').nullable();
    t.string('content_hash', 64).nullable(); // of the document object the files were rendered from
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['kind', 'ref_id']);
    t.unique(['kind', 'year', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('document');
  await knex.schema.dropTableIfExists('risk_list');
}
