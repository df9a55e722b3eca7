import { Knex } from 'knex';

/**
 * Contract v2 of the correlator: facts keep their revision; alerts remember the day they were
 * raised and whether they rest on late reports; recommendations carry their problems (items),
 * their document number (assigned once, when issued) and how they closed; notices their number
 * and the accidents recorded with them later; feed issues list what departments should fix.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('fact', (t) => {
    t.integer('revision').notNullable().defaultTo(1);
  });
  await knex.raw(`create index fact_project_id on fact ((payload->>'projectId')) where event_type in ('project', 'accident')`);

  await knex.schema.alterTable('alert', (t) => {
    t.date('raised_on').nullable();
    t.boolean('late').notNullable().defaultTo(false);
    t.string('content_hash', 64).nullable();
  });

  await knex.schema.alterTable('recommendation', (t) => {
    t.string('document_number', 64).nullable().unique();
    t.jsonb('items').notNullable().defaultTo('[]');
    t.jsonb('rechecks').notNullable().defaultTo('[]');
    t.boolean('joint').notNullable().defaultTo(false);
    t.date('closed_on').nullable();
    t.string('merged_into', 64).nullable();
    t.string('content_hash', 64).nullable();
    t.index(['employer_key', 'status']);
  });

  await knex.schema.alterTable('notice', (t) => {
    t.string('document_number', 64).nullable().unique();
    t.boolean('late').notNullable().defaultTo(false);
    t.jsonb('joined').notNullable().defaultTo('[]'); // accidents recorded with the notice after it was issued
    t.string('content_hash', 64).nullable();
    t.integer('version').notNullable().defaultTo(1);
    t.string('section', 1).nullable();
    t.integer('category').nullable();
  });

  // 发文字号 are numbered per kind (建/通) and year, once, when a document is issued.
  await knex.schema.createTable('document_counter', (t) => {
    t.string('kind', 16).notNullable();
    t.integer('year').notNullable();
    t.integer('last_seq').notNullable();
    t.primary(['kind', 'year']);
  });
  await knex.raw(`insert into document_counter (kind, year, last_seq) select kind, year, max(seq) from document group by kind, year`);

  // What a department should fix in its feed: late reports, re-checks that were not taken.
  await knex.schema.createTable('feed_issue', (t) => {
    t.string('department', 16).notNullable();
    t.string('event_type', 16).notNullable();
    t.string('event_id', 128).notNullable();
    t.string('kind', 40).notNullable();
    t.string('employer_key', 200).notNullable().index();
    t.text('reason').notNullable();
    t.timestamp('detected_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['department', 'event_type', 'event_id', 'kind']);
    t.index(['department', 'kind']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('feed_issue');
  await knex.schema.dropTableIfExists('document_counter');
  await knex.raw('drop index if exists fact_project_id');
  await knex.schema.alterTable('notice', (t) => {
    t.dropColumns('document_number', 'late', 'joined', 'content_hash', 'version', 'section', 'category');
  });
  await knex.schema.alterTable('recommendation', (t) => {
    t.dropIndex(['employer_key', 'status']);
    t.dropColumns('document_number', 'items', 'rechecks', 'joint', 'closed_on', 'merged_into', 'content_hash');
  });
  await knex.schema.alterTable('alert', (t) => {
    t.dropColumns('raised_on', 'late', 'content_hash');
  });
  await knex.schema.alterTable('fact', (t) => {
    t.dropColumn('revision');
  });
}
