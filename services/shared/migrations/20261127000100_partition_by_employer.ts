import { Knex } from 'knex';

/**
 * The per-employer state partitioned by its employer key (PostgreSQL native hash partitioning),
 * so that the schema moves to a distributed PostgreSQL (Citus: the same key as distribution
 * column) without a redesign: facts by the key they were reported under (raw_key), alerts,
 * recommendations and feed issues by the canonical employer. Every unique key of these tables
 * carries the employer key; what is unique across the region besides (a document number) is
 * kept unique by the counter that hands it out. Tables that are not an employer's (notices,
 * lists, counters, offsets, rates) stay whole: in Citus they are reference or local tables.
 */
export const PARTITIONS = 8;

/** Renames the table, creates the partitioned one (named constraints: the old ones keep theirs until dropped), copies, drops. */
async function partition(knex: Knex, table: string, build: (t: string) => Promise<void>): Promise<void> {
  await knex.raw(`alter table ${table} rename to ${table}_whole`);
  await build(table);
  for (let r = 0; r < PARTITIONS; r++) {
    await knex.raw(`create table ${table}_p${r} partition of ${table} for values with (modulus ${PARTITIONS}, remainder ${r})`);
  }
  await knex.raw(`insert into ${table} select * from ${table}_whole`);
  await knex.raw(`drop table ${table}_whole`);
}

export async function up(knex: Knex): Promise<void> {
  await partition(knex, 'fact', async (t) => {
    await knex.raw(`create table ${t} (like fact_whole including defaults) partition by hash (raw_key)`);
    await knex.raw(`alter table ${t} add constraint fact_by_employer_pk primary key (raw_key, department, event_type, event_id)`);
    // An event is one row whatever employer it names: found by its identity across partitions.
    await knex.raw(`create index fact_event on ${t} (department, event_type, event_id)`);
    await knex.raw(`create index fact_type_time on ${t} (event_type, event_time)`);
    await knex.raw(`create index fact_project on ${t} ((payload->>'projectId')) where event_type in ('project', 'accident')`);
  });
  await partition(knex, 'alert', async (t) => {
    await knex.raw(`create table ${t} (like alert_whole including defaults) partition by hash (employer_key)`);
    await knex.raw(`alter table ${t} add constraint alert_by_employer_pk primary key (employer_key, alert_id)`);
    await knex.raw(`create index alert_id_lookup on ${t} (alert_id)`);
    await knex.raw(`create index alert_rule_status on ${t} (rule, status)`);
    await knex.raw(`create unique index alert_open on ${t} (employer_key, rule) where status = 'OPEN'`);
  });
  await partition(knex, 'recommendation', async (t) => {
    await knex.raw(`create table ${t} (like recommendation_whole including defaults) partition by hash (employer_key)`);
    await knex.raw(`alter table ${t} add constraint recommendation_by_employer_pk primary key (employer_key, recommendation_id)`);
    await knex.raw(`create index recommendation_id_lookup on ${t} (recommendation_id)`);
    await knex.raw(`create index recommendation_number on ${t} (document_number)`);
    await knex.raw(`create index recommendation_status on ${t} (status, closed_on)`);
  });
  await partition(knex, 'feed_issue', async (t) => {
    await knex.raw(`create table ${t} (like feed_issue_whole including defaults) partition by hash (employer_key)`);
    await knex.raw(`alter table ${t} add constraint feed_issue_by_employer_pk primary key (employer_key, department, event_type, event_id, kind)`);
    await knex.raw(`create index feed_issue_department on ${t} (department, kind)`);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, pk] of [
    ['fact', 'department, event_type, event_id'],
    ['alert', 'alert_id'],
    ['recommendation', 'recommendation_id'],
    ['feed_issue', 'department, event_type, event_id, kind'],
  ] as const) {
    await knex.raw(`create table ${table}_whole (like ${table} including defaults)`);
    await knex.raw(`insert into ${table}_whole select * from ${table}`);
    await knex.raw(`drop table ${table}`);
    await knex.raw(`alter table ${table}_whole rename to ${table}`);
    await knex.raw(`alter table ${table} add primary key (${pk})`);
  }
}
