import { Knex } from 'knex';

/**
 * What the gateway keeps: the record of which eventIds it accepted (for duplicates and
 * corrections) for `years`; a record resent after that is taken as new, and the correlator, which
 * keeps an employer's facts while it is active, still recognises it by its eventId.
 */
export async function applyIngestRetention(db: Knex, asOf: Date, years = 5, dryRun = false): Promise<number> {
  const before = new Date(asOf.getTime() - Math.round(years * 365.25) * 86_400_000);
  const q = db('ingest_event').where('state', 'accepted').where('accepted_at', '<', before);
  if (dryRun) return Number((await q.clone().count<{ n: string }[]>('* as n'))[0].n);
  return q.delete();
}
