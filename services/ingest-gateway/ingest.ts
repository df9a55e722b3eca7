import { Knex } from 'knex';
import { Department, EventType } from '../shared/contract';
import { HubError } from '../shared/errors';
import { AvroProducer, KeyedValue } from '../shared/kafka';
import { Logger } from '../shared/logger';
import { GatewayMetrics } from './metrics';
import { Problem, Source, Verdict, summarizeProblems, validateRecord } from './validate';
import { scrubPersonIds } from '../shared/privacy';

/**
 * One batch of submitted records: validate → reserve the eventIds in PostgreSQL → produce the
 * new ones to their topic and the rejected ones to the dead letter → mark accepted. The
 * reservation is held in a transaction until Kafka has acknowledged, so a concurrent
 * resubmission of the same eventId waits and then sees a duplicate, and a crash before commit
 * leaves nothing behind (the resubmission sends again: nothing is lost).
 */
export interface BatchItem {
  /** Array index (API) or spreadsheet row number (file). */
  position: number;
  /** The record under JSON field names. */
  record: unknown;
  /** What goes to the dead letter if rejected (before scrubbing of person IDs). */
  payload: unknown;
}

export interface Rejection {
  position: number;
  field: string;
  reason: string;
}

export interface BatchOutcome {
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
}

export interface IngestContext {
  department: Department;
  type: EventType;
  source: Source;
  /** Field name → how the submitter calls it (file columns). */
  label?: (field: string) => string;
  /** Problems to say differently (a whole column missing from the file). */
  explain?: (p: Problem) => Problem;
  /** Payload keys that hold a citizen ID number. */
  personFields?: ReadonlySet<string>;
}

export interface IngestDeps {
  db: Knex;
  producer: AvroProducer;
  pseudonymKey: string;
  logger: Logger;
  metrics: GatewayMetrics;
  now?: () => Date;
}

const RESERVE_SQL = `
insert into ingest_event (department, event_type, event_id, employer_key, state)
select ?, ?, t.event_id, t.employer_key, 'pending'
  from unnest(?::text[], ?::text[]) as t(event_id, employer_key)
on conflict (department, event_type, event_id) do update set state = ingest_event.state
  where ingest_event.state = 'pending'
returning event_id`;

export async function ingestBatch(deps: IngestDeps, ctx: IngestContext, items: BatchItem[]): Promise<BatchOutcome> {
  const now = deps.now?.() ?? new Date();
  const vctx = { department: ctx.department, source: ctx.source, now, pseudonymKey: deps.pseudonymKey };
  const verdicts: { item: BatchItem; verdict: Verdict }[] = items.map((item) => ({ item, verdict: validateRecord(ctx.type, item.record, vctx) }));

  // The first occurrence of an eventId in the batch goes on; later ones are duplicates.
  const firsts = new Map<string, { key: string; value: Record<string, unknown> }>();
  let duplicates = 0;
  const rejected: { item: BatchItem; problems: Problem[]; eventId: string | null }[] = [];
  for (const { item, verdict } of verdicts) {
    if (!verdict.ok) {
      const problems = ctx.explain ? verdict.problems.map(ctx.explain) : verdict.problems;
      rejected.push({ item, problems, eventId: verdict.eventId });
    } else if (firsts.has(verdict.eventId)) duplicates++;
    else firsts.set(verdict.eventId, { key: verdict.key, value: verdict.value });
  }

  const deadLetters: KeyedValue[] = rejected.map(({ item, problems, eventId }) => ({
    key: ctx.department,
    value: {
      department: ctx.department,
      eventType: ctx.type,
      source: ctx.source,
      eventId,
      position: item.position,
      payload: JSON.stringify(scrubPersonIds(item.payload, deps.pseudonymKey, ctx.personFields) ?? null),
      reasons: problems.map((p) => ({ field: ctx.label ? ctx.label(p.field) : p.field, reason: p.reason })),
      receivedAt: now.toISOString(),
    },
  }));

  let accepted = 0;
  try {
    await deps.db.transaction(async (trx) => {
      let toSend: string[] = [];
      if (firsts.size > 0) {
        const ids = [...firsts.keys()];
        const keys = ids.map((id) => firsts.get(id)!.key);
        const res = await trx.raw(RESERVE_SQL, [ctx.department, ctx.type, ids, keys]);
        toSend = (res.rows as { event_id: string }[]).map((r) => r.event_id);
      }
      await Promise.all([
        deps.producer.send(ctx.type, toSend.map((id) => ({ key: firsts.get(id)!.key, value: firsts.get(id)!.value }))),
        deps.producer.send('deadletter', deadLetters),
      ]);
      if (toSend.length > 0) {
        await trx.raw(
          `update ingest_event set state = 'accepted', accepted_at = now()
            where department = ? and event_type = ? and event_id = any(?::text[])`,
          [ctx.department, ctx.type, toSend],
        );
      }
      accepted = toSend.length;
      duplicates += firsts.size - toSend.length;
    });
  } catch (err) {
    if (err instanceof HubError) throw err;
    deps.logger.error({ err: { message: (err as Error).message, name: (err as Error).name }, department: ctx.department, type: ctx.type }, 'batch not taken');
    throw new HubError('DEPENDENCY_UNAVAILABLE', 'Kafka 或数据库暂不可用，本批记录未被接收，请稍后重新提交（已接收的记录再次提交会计为重复）');
  }

  const labels = { department: ctx.department, type: ctx.type };
  deps.metrics.accepted.inc(labels, accepted);
  deps.metrics.duplicates.inc(labels, duplicates);
  deps.metrics.rejected.inc(labels, rejected.length);
  return {
    accepted,
    duplicates,
    rejected: rejected.map(({ item, problems }) => {
      const one = summarizeProblems(problems.map((p) => ({ ...p, field: ctx.label ? ctx.label(p.field) : p.field })));
      return { position: item.position, field: one.field, reason: one.reason };
    }),
  };
}
