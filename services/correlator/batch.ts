import { Knex } from 'knex';
import { EventType } from '../shared/contract';
import { isTransactionConflict } from '../shared/errors';
import { RegionConfig } from '../shared/regionConfig';
import { eventTimeOf } from './facts';
import { projectOwners, readSectionRates, reevaluate } from './evaluate';
import { resolveIdentities, upsertProfiles } from './identity';
import { linkPersons } from './personLink';

/**
 * One slice of a Kafka batch → one PostgreSQL transaction: facts, identity, re-evaluated alerts
 * and recommendations, outbox rows and the consumer offset all commit together, so a crash at
 * any moment keeps all of a slice or none of it, and redelivery changes nothing.
 */
export interface InputEvent {
  topic: string;
  partition: number;
  offset: string;
  value: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface ProcessResult {
  newFacts: number;
  skipped: number;
  employersEvaluated: number;
  alertsChanged: number;
}

const typeOfTopic = (topic: string) => topic.split('.')[1] as EventType;

/**
 * The most events one transaction takes: a Kafka fetch of small events can hold tens of
 * thousands, and one transaction should stay short enough to heartbeat between them.
 */
export const MAX_EVENTS_PER_TRANSACTION = 4_000;

/** Consecutive slices of at most `size` items, in order. */
export function slices<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function processBatch(
  db: Knex,
  groupId: string,
  events: InputEvent[],
  region: RegionConfig,
  now: () => Date = () => new Date(),
  maxEvents = MAX_EVENTS_PER_TRANSACTION,
): Promise<ProcessResult> {
  const total: ProcessResult = { newFacts: 0, skipped: 0, employersEvaluated: 0, alertsChanged: 0 };
  for (const slice of slices(events, maxEvents)) {
    const r = await againOnConflict(() => processSlice(db, groupId, slice, region, now));
    total.newFacts += r.newFacts;
    total.skipped += r.skipped;
    total.employersEvaluated += r.employersEvaluated;
    total.alertsChanged += r.alertsChanged;
  }
  return total;
}

/**
 * A slice's transaction again when PostgreSQL aborted it to break a lock cycle: lanes and
 * instances take disjoint partitions, but an employer reached by a name-only record on another
 * partition is written by both, in statements each transaction orders on its own. Nothing of an
 * aborted transaction was kept, and the events are unchanged (linkPersons copies what it changes).
 */
export async function againOnConflict<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!isTransactionConflict(err) || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 50));
    }
  }
}

/** Offsets already committed with the state: what is below them was taken before (redelivery). */
async function freshEvents(trx: Knex.Transaction, groupId: string, events: InputEvent[]): Promise<InputEvent[]> {
  const parts = [...new Set(events.map((e) => `${e.topic}|${e.partition}`))].map((k) => k.split('|'));
  const stored = await trx.raw(
    `select o.topic, o.partition, o.next_offset from consumer_offset o
       join unnest(?::text[], ?::int[]) as p(topic, partition) on p.topic = o.topic and p.partition = o.partition
      where o.group_id = ?`,
    [parts.map((p) => p[0]), parts.map((p) => Number(p[1])), groupId],
  );
  const committed = new Map<string, bigint>(stored.rows.map((r: { topic: string; partition: number; next_offset: string }) => [`${r.topic}|${r.partition}`, BigInt(r.next_offset)]));
  return events.filter((e) => BigInt(e.offset) >= (committed.get(`${e.topic}|${e.partition}`) ?? 0n));
}

/**
 * Facts keep the latest revision of each event: a new event is inserted, a correction (higher
 * revision) replaces it, a redelivered or older revision changes nothing. Returns the raw
 * employer keys whose facts changed, the former owner of a corrected event's included.
 */
async function storeFacts(trx: Knex.Transaction, events: InputEvent[]): Promise<{ changedKeys: Set<string>; count: number }> {
  const rows = new Map<string, { department: string; event_type: string; event_id: string; raw_key: string; event_time: string; payload: Record<string, unknown>; revision: number }>();
  for (const e of events) {
    const type = typeOfTopic(e.topic);
    const row = {
      department: e.value.department,
      event_type: type,
      event_id: e.value.eventId,
      raw_key: e.value.employerKey,
      event_time: eventTimeOf(type, e.value),
      payload: e.value,
      revision: Number(e.value.revision ?? 1),
    };
    const k = `${row.department}|${row.event_type}|${row.event_id}`;
    const prev = rows.get(k);
    if (!prev || prev.revision < row.revision) rows.set(k, row);
  }
  // In key order: concurrent transactions (partitions taken in parallel) lock rows alike.
  const list = [...rows.values()].sort((a, b) => (a.event_type + a.department + a.event_id < b.event_type + b.department + b.event_id ? -1 : 1));
  if (!list.length) return { changedKeys: new Set(), count: 0 };
  const changedKeys = new Set<string>();
  let count = 0;
  // One JSON document for the whole slice: PostgreSQL parses it once, and no payload is escaped
  // again as an element of a text array.
  const columns = (part: typeof list): string[] => [JSON.stringify(part)];
  const incoming = `select * from jsonb_to_recordset(?::jsonb)
                      as t(department text, event_type text, event_id text, raw_key text, event_time timestamptz, payload jsonb, revision int)`;
  /** Inserts the rows whose event is not stored yet (under any employer); their employer keys. */
  const insertNew = async (part: typeof list): Promise<string[]> => {
    const { rows } = await trx.raw(
      `insert into fact (department, event_type, event_id, raw_key, event_time, payload, revision)
       select t.department, t.event_type, t.event_id, t.raw_key, t.event_time, t.payload, t.revision from (${incoming}) t
        where not exists (select 1 from fact f where f.department = t.department and f.event_type = t.event_type and f.event_id = t.event_id)
       on conflict do nothing
       returning raw_key`,
      columns(part),
    );
    return (rows as { raw_key: string }[]).map((r) => r.raw_key);
  };
  // First revisions, nearly all events: inserted unless the event is there already (redelivery),
  // under whatever employer (facts are partitioned by the employer key they name).
  const firsts = list.filter((r) => r.revision <= 1);
  if (firsts.length) {
    const inserted = await insertNew(firsts);
    inserted.forEach((k) => changedKeys.add(k));
    count += inserted.length;
  }
  // Corrections replace an older revision, possibly under another employer; the employer they
  // left is re-evaluated too.
  const corrections = list.filter((r) => r.revision > 1);
  if (corrections.length) {
    const { rows: replaced } = await trx.raw(
      `delete from fact f using (${incoming}) t
        where f.department = t.department and f.event_type = t.event_type and f.event_id = t.event_id and f.revision < t.revision
       returning f.raw_key`,
      columns(corrections),
    );
    for (const r of replaced as { raw_key: string }[]) changedKeys.add(r.raw_key);
    const written = await insertNew(corrections);
    written.forEach((k) => changedKeys.add(k));
    count += written.length;
  }
  return { changedKeys, count };
}

async function processSlice(db: Knex, groupId: string, events: InputEvent[], region: RegionConfig, now: () => Date): Promise<ProcessResult> {
  return db.transaction(async (trx) => {
    // The consumer offsets commit in this same database: a commit lost in a server crash is lost
    // with its offsets and taken again from Kafka, so the commit need not wait for the disk.
    await trx.raw('set local synchronous_commit = off');
    const { events: fresh, changedKeys: relinked } = await linkPersons(trx, await freshEvents(trx, groupId, events));
    const { changedKeys, count } = await storeFacts(trx, fresh);
    relinked.forEach((k) => changedKeys.add(k));

    let evaluated = 0;
    let changed = 0;
    if (changedKeys.size) {
      const headers = fresh.filter((e) => changedKeys.has(e.value.employerKey)).map((e) => e.value);
      // Profiles of USCC employers first, so that name-only records in the same batch find them.
      await upsertProfiles(trx, headers.filter((h) => h.uscc), true);
      const affected = await resolveIdentities(trx, headers);
      await upsertProfiles(trx, headers);
      // A corrected event may have left another employer: re-evaluate that one too.
      const formerOwners = await trx('employer_alias').whereRaw('raw_key = any(?::text[])', [[...changedKeys]]).select('canonical_key');
      formerOwners.forEach((r: { canonical_key: string }) => affected.add(r.canonical_key));
      const accidentProjects = fresh.filter((e) => typeOfTopic(e.topic) === 'accident' && e.value.projectId).map((e) => String(e.value.projectId));
      (await projectOwners(trx, accidentProjects)).forEach((k) => affected.add(k));
      const r = await reevaluate(trx, [...affected], { region, asOf: now(), sectionRates: await readSectionRates(trx) });
      evaluated = r.evaluated;
      changed = r.changed;
    }

    // The offset commits with the state it produced.
    const next = new Map<string, bigint>();
    for (const e of events) {
      const k = `${e.topic}|${e.partition}`;
      const o = BigInt(e.offset) + 1n;
      if (!next.has(k) || next.get(k)! < o) next.set(k, o);
    }
    const offsetRows = [...next.entries()].map(([k, o]) => {
      const [topic, partition] = k.split('|');
      return { group_id: groupId, topic, partition: Number(partition), next_offset: o.toString() };
    });
    await trx('consumer_offset')
      .insert(offsetRows)
      .onConflict(['group_id', 'topic', 'partition'])
      .merge({ next_offset: trx.raw('greatest(consumer_offset.next_offset, excluded.next_offset)') });
    return { newFacts: count, skipped: events.length - fresh.length, employersEvaluated: evaluated, alertsChanged: changed };
  });
}
