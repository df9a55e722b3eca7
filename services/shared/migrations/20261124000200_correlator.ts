import { Knex } from 'knex';

/**
 * The correlator's state. Facts are stored as received (one generic table, typed columns for
 * what the rules filter on), so rules are a pure function of an employer's facts and replaying
 * the topics into an empty database rebuilds the same state.
 */
export async function up(knex: Knex): Promise<void> {
  // One row per input event; the primary key makes redelivery harmless.
  await knex.schema.createTable('fact', (t) => {
    t.string('department', 16).notNullable();
    t.string('event_type', 16).notNullable();
    t.string('event_id', 128).notNullable();
    t.string('raw_key', 200).notNullable(); // the event's employerKey as published
    t.timestamp('event_time', { useTz: true }).notNullable();
    t.jsonb('payload').notNullable();
    t.primary(['department', 'event_type', 'event_id']);
    t.index(['raw_key']);
    t.index(['event_type', 'event_time']);
  });

  // Employer identity: every raw key (USCC or N:region:name) points at one canonical key.
  await knex.schema.createTable('employer_alias', (t) => {
    t.string('raw_key', 200).primary();
    t.string('canonical_key', 200).notNullable().index();
    t.float('confidence').notNullable();
    t.string('method', 24).notNullable(); // SELF | USCC_NAME | NAME_NORMALISED | NAME_FUZZY
    t.timestamp('linked_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // Latest known profile per canonical employer (from employer events and any event's header).
  await knex.schema.createTable('employer', (t) => {
    t.string('employer_key', 200).primary();
    t.string('uscc', 18).nullable().index();
    t.string('name', 200).notNullable();
    t.string('normalized_name', 200).notNullable();
    t.string('region_code', 6).notNullable();
    t.string('industry_code', 8).nullable();
    t.integer('headcount').nullable();
    t.date('headcount_as_of').nullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['region_code', 'normalized_name']);
  });

  // Ambiguous name matches wait here for a person; never a silent guess.
  await knex.schema.createTable('identity_review', (t) => {
    t.string('raw_key', 200).primary();
    t.jsonb('candidates').notNullable();
    t.string('status', 12).notNullable().defaultTo('OPEN');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('alert', (t) => {
    t.string('alert_id', 64).primary();
    t.string('employer_key', 200).notNullable();
    t.string('rule', 24).notNullable();
    t.string('status', 8).notNullable(); // OPEN | CLOSED
    t.string('close_reason', 24).nullable(); // CONDITION_ENDED | SUPERSEDED
    t.string('severity', 8).notNullable();
    t.float('score').notNullable();
    t.text('explanation').notNullable();
    t.jsonb('evidence').notNullable();
    t.specificType('routed_to', 'text[]').notNullable();
    t.timestamp('opened_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('closed_at', { useTz: true }).nullable();
    t.integer('version').notNullable().defaultTo(1);
    t.index(['employer_key', 'status']);
    t.index(['rule', 'status']);
  });
  // One open alert per employer and rule.
  await knex.raw(`create unique index alert_one_open on alert (employer_key, rule) where status = 'OPEN'`);

  await knex.schema.createTable('recommendation', (t) => {
    t.string('recommendation_id', 64).primary();
    t.string('alert_id', 64).notNullable().index();
    t.string('employer_key', 200).notNullable().index();
    t.string('rule', 24).notNullable();
    t.string('kind', 16).notNullable();
    t.specificType('departments', 'text[]').notNullable();
    t.date('issued_at').notNullable();
    t.date('deadline').nullable();
    t.string('status', 12).notNullable();
    t.text('text').notNullable();
    t.integer('version').notNullable().defaultTo(1);
  });

  await knex.schema.createTable('notice', (t) => {
    t.string('notice_id', 64).primary();
    t.string('kind', 24).notNullable();
    t.string('title', 300).notNullable();
    t.date('issued_at').notNullable();
    t.specificType('employers', 'text[]').notNullable();
    t.jsonb('evidence').notNullable();
    t.text('body').notNullable();
  });

  // Transactional outbox: rows written with the state, published to Kafka after commit.
  await knex.schema.createTable('outbox', (t) => {
    t.bigIncrements('id');
    t.string('topic_type', 16).notNullable();
    t.string('message_key', 200).notNullable();
    t.jsonb('value').notNullable();
    t.timestamp('published_at', { useTz: true }).nullable();
    t.index(['published_at', 'id']);
  });

  // Accident rates per GB/T 4754 section, refreshed by the correlator's scheduled sweep.
  await knex.schema.createTable('section_rate', (t) => {
    t.string('section', 1).primary();
    t.integer('accidents').notNullable();
    t.integer('insured_workers').notNullable();
    t.timestamp('computed_at', { useTz: true }).notNullable();
  });

  // Consumer offsets stored in the same transaction as the state they produced.
  await knex.schema.createTable('consumer_offset', (t) => {
    t.string('group_id', 64).notNullable();
    t.string('topic', 64).notNullable();
    t.integer('partition').notNullable();
    t.bigInteger('next_offset').notNullable();
    t.primary(['group_id', 'topic', 'partition']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['consumer_offset', 'section_rate', 'outbox', 'notice', 'recommendation', 'alert', 'identity_review', 'employer', 'employer_alias', 'fact']) {
    await knex.schema.dropTableIfExists(t);
  }
}
