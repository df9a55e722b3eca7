import { Knex } from 'knex';
import { Admin } from 'kafkajs';
import { EVENT_TYPES, topicOf } from '../../services/shared/contract';
import { benchUscc, citizenId } from '../bench/records';
import { Answer, Ledger, postRecords } from './ledger';
import { sleep } from './services';

/**
 * A department's system that keeps sending small batches of enrollments while a fault is
 * injected: every answer is kept (status, Retry-After, how long it took), so that the suite can
 * say how soon the gateway refused, whether it ever answered 200 or 500 while a dependency was
 * down, and how soon it took records again.
 */
export class Prober {
  private running = false;
  private loop: Promise<void> | null = null;
  private n = 0;

  constructor(
    private readonly gatewayUrl: string,
    private readonly ledger: Ledger,
    private readonly run: string,
    private readonly firstPerson: number,
    private readonly batch = 20,
    private readonly pauseMs = 150,
  ) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const records = Array.from({ length: this.batch }, () => {
          const i = this.n++;
          const e = 7_000 + (i % 50);
          return {
            eventId: `${this.run}-probe-${i}`,
            regionCode: '321302',
            uscc: benchUscc(e + 2_000_000),
            employerName: `宿迁故障演练第${e}建材有限公司`,
            personId: citizenId(this.firstPerson + i),
            action: 'ENROLL',
            effectiveDate: '2026-06-01',
            dustExposed: false,
          };
        });
        const a = await postRecords(this.gatewayUrl, this.ledger, 'enrollment', 'hrss', records, 60_000);
        if (a.status !== 200) await sleep(Math.min(1000, this.pauseMs * 2));
        else await sleep(this.pauseMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** The first answer after `t` that satisfies `pred` (by when it arrived). */
  firstAfter(t: number, pred: (a: Answer) => boolean): Answer | undefined {
    return this.ledger.answers.filter((a) => a.at >= t && pred(a)).sort((x, y) => x.at + x.ms - (y.at + y.ms))[0];
  }
}

/** Input events the consumer group has not committed yet (topic ends minus committed offsets). */
export async function lagOf(db: Knex, admin: Admin, groupId: string): Promise<number> {
  const committed = new Map<string, bigint>();
  try {
    for (const r of await db('consumer_offset').where('group_id', groupId)) committed.set(`${r.topic}|${r.partition}`, BigInt(r.next_offset));
  } catch {
    return Number.NaN; // the database is down
  }
  let lag = 0n;
  for (const t of EVENT_TYPES) {
    for (const p of await admin.fetchTopicOffsets(topicOf(t))) {
      const at = committed.get(`${topicOf(t)}|${p.partition}`) ?? BigInt(p.low);
      if (BigInt(p.high) > at) lag += BigInt(p.high) - at;
    }
  }
  return Number(lag);
}

/** Sum of the group's committed offsets: it grows each time the correlator commits a batch. */
export async function committedSum(db: Knex, groupId: string): Promise<number> {
  try {
    const [{ s }] = await db('consumer_offset').where('group_id', groupId).sum<{ s: string | null }[]>({ s: 'next_offset' });
    return Number(s ?? 0);
  } catch {
    return Number.NaN;
  }
}

/** Polls until `cond` holds; returns when it did (ms since epoch), or null at the deadline. */
export async function until(cond: () => Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await cond()) return Date.now();
    } catch {
      // a dependency is down: not yet
    }
    if (Date.now() > deadline) return null;
    await sleep(everyMs);
  }
}
