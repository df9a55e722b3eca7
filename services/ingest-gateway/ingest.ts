import { Knex } from 'knex';
import { Department, EventType } from '../shared/contract';
import { HubError, isDatabaseDataError, isDatabaseUnavailable } from '../shared/errors';
import { RegionCodes } from '../shared/divisions';
import { AvroProducer, KeyedValue } from '../shared/kafka';
import { Logger } from '../shared/logger';
import { GatewayMetrics } from './metrics';
import { Problem, Source, Verdict, summarizeProblems, validateRecord } from './validate';
import { scrubPersonIds } from '../shared/privacy';
import { Accepted, Step, revisionSteps } from './revisions';
import { appendAudit } from '../shared/audit';
import { deadLetterPayload, storable } from './deadLetter';

/**
 * One batch of submitted records: validate (prepareBatch, CPU only) → reserve the eventIds in
 * PostgreSQL as accepted → produce the new and corrected ones to their topic and the rejected
 * ones to the dead letter → commit (commitBatch). The reservation's transaction commits only
 * after Kafka has acknowledged, so a concurrent resubmission of the same eventId waits and then
 * compares its content with what was accepted (duplicate, or the next revision), and a crash
 * before commit leaves nothing behind (the resubmission sends again with the same revision:
 * nothing is lost). A caller may prepare the next batch while one is being committed.
 */
export interface BatchItem {
  /** Array index (API) or spreadsheet row number (file). */
  position: number;
  /** The record under JSON field names. */
  record: unknown;
  /** What goes to the dead letter if rejected (before scrubbing of person IDs). */
  payload: unknown;
  /** Problems found before validation (bytes that could not be decoded): the record is rejected with them. */
  refused?: Problem[];
}

export interface Rejection {
  position: number;
  field: string;
  reason: string;
}

export interface BatchOutcome {
  accepted: number;
  /** Of the accepted, how many were corrections (revision > 1). */
  corrected: number;
  duplicates: number;
  rejected: Rejection[];
}

export interface IngestContext {
  department: Department;
  /** For the audit log: which token sent the request, and the request's id (its batches share it). */
  audit?: { tokenId: string; tokenLabel: string; upload: string };
  type: EventType;
  source: Source;
  /** Field name → how the submitter calls it (file columns). */
  label?: (field: string) => string;
  /** Problems to say differently (a whole column missing from the file). */
  explain?: (p: Problem) => Problem;
  /** Payload keys that hold a citizen ID number. */
  personFields?: ReadonlySet<string>;
  /** Field → the unit its file header names (万元, 月). */
  units?: ReadonlyMap<string, string>;
}

export interface IngestDeps {
  db: Knex;
  /** The configured province's GB/T 2260 codes, read at start. */
  regions: RegionCodes;
  producer: AvroProducer;
  pseudonymKey: string;
  /** Set only while a pseudonym key is being rotated (WHP_PSEUDONYM_PREVIOUS_KEY). */
  pseudonymPreviousKey?: string;
  logger: Logger;
  metrics: GatewayMetrics;
  now?: () => Date;
  /** Bounds a send to Kafka (a deadline, and an outage found meanwhile): see Availability.guard. */
  guardSend?: <T>(send: Promise<T>) => Promise<T>;
}

/** As the Avro field carries it (Date#toISOString's form), so no row is parsed into a Date and back. */
const FIRST_INGESTED_AT = `to_char(first_ingested_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as first_ingested_at`;

/**
 * The first step of each eventId: a new eventId is inserted as revision 1; an accepted one with
 * other content becomes the next revision; a 'pending' one (left by gateways before rows were
 * written as accepted inside the transaction) keeps its revision (nothing acknowledged it). Rows
 * returned are the ones to send; the rest are duplicates. Under READ COMMITTED a concurrent
 * request for the same eventId waits for the row and then compares with what that request
 * committed, so two corrections never share a revision.
 */
const RESERVE_SQL = `
insert into ingest_event (department, event_type, event_id, employer_key, state, content_hash, revision, first_ingested_at)
select ?, ?, t.event_id, t.employer_key, 'accepted', t.content_hash, 1, ?::timestamptz
  from unnest(?::text[], ?::text[], ?::text[]) as t(event_id, employer_key, content_hash)
on conflict (department, event_type, event_id) do update
   set state = 'accepted', accepted_at = now(),
       revision = case when ingest_event.state = 'pending' then ingest_event.revision else ingest_event.revision + 1 end,
       content_hash = excluded.content_hash,
       employer_key = excluded.employer_key,
       first_ingested_at = coalesce(ingest_event.first_ingested_at, excluded.first_ingested_at)
 where ingest_event.state = 'pending' or ingest_event.content_hash is distinct from excluded.content_hash
returning event_id, revision, ${FIRST_INGESTED_AT}`;

/** A later step of an eventId within the same request: always a correction of the one before. */
const NEXT_REVISION_SQL = `
update ingest_event e
   set state = 'accepted', accepted_at = now(), revision = e.revision + 1, content_hash = t.content_hash, employer_key = t.employer_key
  from unnest(?::text[], ?::text[], ?::text[]) as t(event_id, employer_key, content_hash)
 where e.department = ? and e.event_type = ? and e.event_id = t.event_id
   and e.content_hash is distinct from t.content_hash
returning e.event_id, e.revision, ${FIRST_INGESTED_AT}`;

type Reserved = { event_id: string; revision: number; first_ingested_at: string | null };

/** A batch validated and ready to commit: what goes to the topic, what to the dead letter. */
export interface PreparedBatch {
  ctx: IngestContext;
  now: Date;
  chains: Map<string, Step[]>;
  /** Repeats of a record within this request. */
  repeated: number;
  rejected: { item: BatchItem; problems: Problem[]; eventId: string | null }[];
  deadLetters: KeyedValue[];
}

/** Validation, pseudonyms, content hashes and dead-letter payloads: no I/O. */
export function prepareBatch(deps: IngestDeps, ctx: IngestContext, items: BatchItem[]): PreparedBatch {
  const now = deps.now?.() ?? new Date();
  const vctx = { department: ctx.department, source: ctx.source, now, pseudonymKey: deps.pseudonymKey, pseudonymPreviousKey: deps.pseudonymPreviousKey, units: ctx.units, regions: deps.regions };
  const verdicts: { item: BatchItem; verdict: Verdict }[] = items.map((item) => {
    const verdict = validateRecord(ctx.type, item.record, vctx);
    if (!item.refused) return { item, verdict };
    const eventId = verdict.eventId && !verdict.eventId.includes('\ufffd') ? verdict.eventId : null;
    return { item, verdict: { ok: false, eventId, problems: item.refused } };
  });

  const valid: Accepted[] = [];
  const rejected: { item: BatchItem; problems: Problem[]; eventId: string | null }[] = [];
  for (const { item, verdict } of verdicts) {
    if (!verdict.ok) {
      const problems = ctx.explain ? verdict.problems.map(ctx.explain) : verdict.problems;
      rejected.push({ item, problems, eventId: verdict.eventId });
    } else valid.push({ position: item.position, eventId: verdict.eventId, key: verdict.key, value: verdict.value });
  }
  // Records of one eventId in this request line up as successive revisions (see revisionSteps).
  const { chains, duplicates: repeated } = revisionSteps(valid);

  const deadLetters: KeyedValue[] = rejected.map(({ item, problems, eventId }) => ({
    key: ctx.department,
    value: {
      department: ctx.department,
      eventType: ctx.type,
      source: ctx.source,
      eventId,
      position: item.position,
      payload: deadLetterPayload(scrubPersonIds(item.payload, deps.pseudonymKey, ctx.personFields)),
      reasons: problems.map((p) => ({ field: ctx.label ? ctx.label(p.field) : p.field, reason: p.reason })),
      receivedAt: now.toISOString(),
    },
  }));
  return { ctx, now, chains, repeated, rejected, deadLetters };
}

/** Reserve, send and commit one prepared batch (see the top of this file). */
export async function commitBatch(deps: IngestDeps, batch: PreparedBatch): Promise<BatchOutcome> {
  const { ctx, now, chains, rejected, deadLetters } = batch;
  let duplicates = batch.repeated;

  let accepted = 0;
  let corrected = 0;
  try {
    await deps.db.transaction(async (trx) => {
      const toSend: { step: Step; revision: number; firstIngestedAt: string }[] = [];
      const longest = Math.max(0, ...[...chains.values()].map((c) => c.length));
      for (let n = 0; n < longest; n++) {
        // Rows are locked in eventId order, the same in every request: two requests sharing
        // eventIds wait for each other instead of deadlocking.
        const steps = [...chains.values()].filter((c) => c.length > n).map((c) => c[n]).sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
        const columns = [steps.map((s) => s.eventId), steps.map((s) => s.key), steps.map((s) => s.hash)];
        const res =
          n === 0
            ? await trx.raw(RESERVE_SQL, [ctx.department, ctx.type, now.toISOString(), ...columns])
            : await trx.raw(NEXT_REVISION_SQL, [...columns, ctx.department, ctx.type]);
        const byId = new Map(steps.map((s) => [s.eventId, s]));
        for (const r of res.rows as Reserved[]) {
          toSend.push({ step: byId.get(r.event_id)!, revision: r.revision, firstIngestedAt: r.first_ingested_at ?? now.toISOString() });
        }
        duplicates += steps.length - res.rows.length;
      }
      // File order; the steps of one eventId are in order too, so revision r reaches its
      // partition before r + 1.
      toSend.sort((a, b) => a.step.position - b.step.position);
      const sent = Promise.all([
        // The step's value is sent once: its revision is set on it rather than on a copy (GC).
        deps.producer.send(ctx.type, toSend.map(({ step, revision, firstIngestedAt }) => ({ key: step.key, value: Object.assign(step.value, { revision, firstIngestedAt }) }))),
        deps.producer.send('deadletter', deadLetters),
      ]);
      await (deps.guardSend ? deps.guardSend(sent) : sent);
      accepted = toSend.length;
      corrected = toSend.filter((x) => x.revision > 1).length;
      // Where each rejected record was and why, for the console's 数据报送 page (no payload).
      if (deadLetters.length > 0) {
        await trx('dead_letter').insert(
          rejected.map(({ item, problems, eventId }) => ({
            department: ctx.department, event_type: ctx.type, source: ctx.source, event_id: eventId === null ? null : storable(eventId, 128), position: item.position,
            reasons: JSON.stringify(problems.map((p) => ({ field: storable(ctx.label ? ctx.label(p.field) : p.field, 200), reason: storable(p.reason, 1000) }))), received_at: now,
          })),
        );
      }
      // In the same transaction: a batch is in the audit log exactly when its records are accepted.
      await appendAudit(trx, {
        actor: ctx.department,
        action: 'PUBLISH',
        object: ctx.type,
        at: now,
        detail: { type: ctx.type, source: ctx.source, accepted, corrected, duplicates, rejected: rejected.length, ...(ctx.audit ?? {}) },
      });
    });
  } catch (err) {
    if (err instanceof HubError) throw err;
    deps.logger.error({ err: { message: (err as Error).message, name: (err as Error).name }, department: ctx.department, type: ctx.type }, 'batch not taken');
    // PostgreSQL refused the data itself (class 22/23): a retry would fail the same way, and
    // saying "later" would hide our bug.
    if (isDatabaseDataError(err)) {
      throw new HubError('INTERNAL', '网关内部错误，本批记录未被接收，请联系枢纽运维人员（已接收的记录再次提交会计为重复）');
    }
    const which = isDatabaseUnavailable(err) ? '数据库' : 'Kafka 或数据库';
    throw new HubError('DEPENDENCY_UNAVAILABLE', `${which}暂不可用，本批记录未被接收，请稍后重新提交（已接收的记录再次提交会计为重复）`, { retryAfter: 5 });
  }

  const labels = { department: ctx.department, type: ctx.type };
  deps.metrics.accepted.inc(labels, accepted);
  deps.metrics.corrected.inc(labels, corrected);
  deps.metrics.duplicates.inc(labels, duplicates);
  deps.metrics.rejected.inc(labels, rejected.length);
  return {
    accepted,
    corrected,
    duplicates,
    rejected: rejected.map(({ item, problems }) => {
      const one = summarizeProblems(problems.map((p) => ({ ...p, field: ctx.label ? ctx.label(p.field) : p.field })));
      return { position: item.position, field: one.field, reason: one.reason };
    }),
  };
}
