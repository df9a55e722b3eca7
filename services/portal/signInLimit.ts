import { Knex } from 'knex';

/**
 * Sign-in attempts per client address, counted in the database so that several portal
 * instances share the count: a guesser gets SIGN_IN_LIMIT tries a minute, whichever instance
 * answers. Failed and successful attempts count alike (a token is 192 bits; the limit is there
 * to make guessing pointless and the log quiet, not to lock anyone out for long).
 */
export const SIGN_IN_LIMIT = 10;
export const SIGN_IN_WINDOW_SECONDS = 60;

/** Seconds until the oldest attempt in the window leaves it (pure, for the Retry-After header). */
export function retryAfterSeconds(oldestInWindow: Date, now: Date, windowSeconds = SIGN_IN_WINDOW_SECONDS): number {
  return Math.max(1, Math.ceil(windowSeconds - (now.getTime() - oldestInWindow.getTime()) / 1000));
}

/** Records an attempt; returns null when it may proceed, or the seconds to wait. */
export async function admitSignIn(db: Knex, client: string, now = new Date()): Promise<number | null> {
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_SECONDS * 1000);
  return db.transaction(async (trx) => {
    // One client's attempts are counted one at a time, so a burst cannot slip past the count.
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`whp-sign-in:${client}`]);
    const [{ n, oldest }] = await trx('sign_in_attempt').where('client', client).where('at', '>', since).select(trx.raw('count(*)::int as n'), trx.raw('min(at) as oldest'));
    if (Number(n) >= SIGN_IN_LIMIT) return retryAfterSeconds(new Date(oldest), now);
    await trx('sign_in_attempt').insert({ client, at: now });
    await trx('sign_in_attempt').where('at', '<', since).delete();
    return null;
  });
}
