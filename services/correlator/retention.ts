import { Knex } from 'knex';
import { addDays, shanghaiDay } from '../shared/time';

/**
 * What the correlator keeps (a retention policy that keeps what the rules and the audit need):
 * - an employer's history is kept whole or not at all, since every alert and letter is derived
 *   from all of its facts: an employer is forgotten only when nothing about it has happened or
 *   been received for `quietYears` and it has no open alert or recommendation;
 * - outbox rows are kept `outboxDays` after they were published (they are on Kafka).
 * Identity review rows of forgotten name-only employers go with them.
 */
export interface RetentionPolicy {
  quietYears: number;
  outboxDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { quietYears: 5, outboxDays: 30 };

export interface RetentionResult {
  employers: number;
  facts: number;
  alerts: number;
  recommendations: number;
  outbox: number;
}

export async function applyRetention(db: Knex, asOf: Date, policy: RetentionPolicy = DEFAULT_RETENTION, dryRun = false): Promise<RetentionResult> {
  const horizon = addDays(shanghaiDay(asOf), -Math.round(policy.quietYears * 365.25));
  return db.transaction(async (trx) => {
    const quiet: string[] = (
      await trx.raw(
        `select e.employer_key from employer e
          where not exists (
                  select 1 from employer_alias a join fact f on f.raw_key = a.raw_key
                   where a.canonical_key = e.employer_key
                     and (f.event_time >= ?::date or coalesce(f.payload->>'firstIngestedAt', f.payload->>'ingestedAt') >= ?))
            and not exists (select 1 from alert x where x.employer_key = e.employer_key and x.status = 'OPEN')
            and not exists (select 1 from recommendation r where r.employer_key = e.employer_key and r.status in ('OPEN', 'OVERDUE'))`,
        [horizon, horizon],
      )
    ).rows.map((r: { employer_key: string }) => r.employer_key);
    const count = async (q: Knex.QueryBuilder) => Number((await q.clone().count<{ n: string }[]>('* as n'))[0].n);
    const aliases = trx('employer_alias').whereRaw('canonical_key = any(?::text[])', [quiet]);
    const facts = trx('fact').whereIn('raw_key', trx('employer_alias').select('raw_key').whereRaw('canonical_key = any(?::text[])', [quiet]));
    const alerts = trx('alert').whereRaw('employer_key = any(?::text[])', [quiet]);
    const recs = trx('recommendation').whereRaw('employer_key = any(?::text[])', [quiet]);
    const outbox = trx('outbox').whereNotNull('published_at').where('published_at', '<', new Date(asOf.getTime() - policy.outboxDays * 86_400_000));
    const result: RetentionResult = { employers: quiet.length, facts: await count(facts), alerts: await count(alerts), recommendations: await count(recs), outbox: await count(outbox) };
    if (dryRun) return result;
    await facts.delete();
    await alerts.delete();
    await recs.delete();
    await trx('feed_issue').whereRaw('employer_key = any(?::text[])', [quiet]).delete();
    await trx('identity_review').whereIn('raw_key', aliases.clone().select('raw_key')).delete();
    await aliases.delete();
    await trx('employer').whereRaw('employer_key = any(?::text[])', [quiet]).delete();
    await outbox.delete();
    return result;
  });
}
