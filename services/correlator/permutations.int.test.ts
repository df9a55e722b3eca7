import fc from 'fast-check';
import { Knex } from 'knex';
import { createScratchDatabase } from '../../test/stack';
import { TypedEvent } from '../../test/fixtures/correlatorEvents';
import { feed, scenario } from '../../test/fixtures/events';
import { makeUscc } from '../../test/fixtures/uscc';
import { loadConfig } from '../shared/config';
import { addDays } from '../shared/time';
import { loadRegionConfig } from '../shared/regionConfig';
import { sweep } from './sweep';

/**
 * Property: any arrival order of a generated set of events — shuffled, in batches of any size,
 * with redeliveries and reports that arrive late — ends in the same alerts, recommendations and
 * circulars, on the real database; and a re-evaluation with no new event publishes nothing.
 */
const region = loadRegionConfig({});
const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
const AS_OF = new Date('2026-11-24T10:00:00+08:00');
const dbs: { db: Knex; drop: () => Promise<void> }[] = [];

beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    dbs.push(await createScratchDatabase(config.databaseUrl));
  }
});
afterAll(async () => {
  for (const d of dbs) await d.drop();
});

const TABLES = ['fact', 'employer_alias', 'employer', 'identity_review', 'alert', 'recommendation', 'notice', 'outbox', 'section_rate', 'section_rate_basis', 'consumer_offset', 'document_counter', 'feed_issue'];
const reset = (db: Knex) => db.raw(`truncate ${TABLES.join(', ')}`);

/** One employer's events, drawn: a day of 2026 (1–300) and how many days after it the hub got it. */
const day = (n: number) => addDays('2026-01-01', n);
const delay = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 40 }) }, { weight: 1, arbitrary: fc.integer({ min: 370, max: 400 }) });
const when = fc.record({ at: fc.integer({ min: 0, max: 300 }), delay });

const employerSpec = fc.record({
  industry: fc.constantFrom('C3011', 'C3011', 'D4430', 'F5211'),
  headcount: fc.integer({ min: 5, max: 20 }),
  enrolled: fc.integer({ min: 0, max: 20 }),
  hazards: fc.array(fc.record({ w: when, ratio: fc.constantFrom(0.5, 1.5, 3), post: fc.constantFrom('破碎', '包装') }), { maxLength: 4 }),
  accidents: fc.array(fc.record({ w: when, deaths: fc.constantFrom(0, 0, 0, 1), category: fc.constantFrom(3, 16) }), { maxLength: 4 }),
  injuries: fc.array(fc.record({ w: when, insured: fc.boolean() }), { maxLength: 2 }),
  project: fc.option(fc.record({ w: when, certificate: fc.constantFrom('', '无', 'SQGS-001') }), { nil: undefined }),
});

type EmployerSpec = typeof employerSpec extends fc.Arbitrary<infer T> ? T : never;

function eventsOf(i: number, spec: EmployerSpec): { events: TypedEvent[]; uscc: string } {
  const uscc = makeUscc(`perm-${i}`);
  const e = scenario(uscc, '2026-01-01', `宿迁第${i}测试有限公司`);
  const received = (w: { at: number; delay: number }) => ({ received: [day(w.at + w.delay), '2026-11-24'].sort()[0] });
  const events: TypedEvent[] = [e.employer('2026-01-01', spec.headcount, spec.industry), ...e.staff(Math.min(spec.enrolled, spec.headcount), '2026-01-01')];
  spec.hazards.forEach((h, j) => events.push(e.hazard(day(h.w.at), h.ratio, 1, { post: h.post, ...received(h.w), eventId: `${uscc}-h${j}` })));
  spec.accidents.forEach((a, j) => events.push(e.accident(day(a.w.at), { deaths: a.deaths, category: a.category, ...received(a.w), eventId: `${uscc}-a${j}` })));
  spec.injuries.forEach((x, j) => events.push(e.injury(day(x.w.at), `psn_${uscc}_inj${j}`, x.insured, { ...received(x.w), eventId: `${uscc}-i${j}` })));
  if (spec.project) events.push(e.project(`XM-${i}`, day(spec.project.w.at), spec.project.certificate, { ...received(spec.project.w), eventId: `${uscc}-p` }));
  return { events, uscc };
}

/** What departments see: alerts, recommendations that stand, circulars. */
async function outcome(db: Knex) {
  const alerts = await db('alert')
    .whereRaw(`close_reason is distinct from 'SUPERSEDED'`)
    .select('alert_id', 'rule', 'status', 'severity', 'score', 'explanation', 'evidence', 'opened_at', 'closed_at', 'late')
    .orderBy('alert_id');
  const recs = await db('recommendation')
    .whereNotNull('content_hash') // not the letters replaced once the rest of their day's data arrived
    .select('recommendation_id', 'departments', 'issued_at', 'deadline', 'status', 'items', 'joint', 'closed_on')
    .orderBy('recommendation_id');
  const notices = await db('notice').select('notice_id', 'title', 'issued_at', 'evidence', 'joined', 'body').orderBy('notice_id');
  return JSON.parse(JSON.stringify({ alerts, recs, notices }));
}

const outboxCount = async (db: Knex) => Number((await db('outbox').count<{ n: string }[]>('* as n'))[0].n);

test('any permutation of the events, with redeliveries and late arrivals, ends in the same alerts, recommendations and circulars', async () => {
  const [reference, permuted] = dbs.map((d) => d.db);
  await fc.assert(
    fc.asyncProperty(
      fc.array(employerSpec, { minLength: 2, maxLength: 4 }),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      fc.integer({ min: 1, max: 30 }),
      fc.array(fc.nat(), { maxLength: 10 }),
      async (specs, seed, batchSize, redeliver) => {
        const t0 = Date.now();
        const base = specs.flatMap((s, i) => eventsOf(i, s).events);
        // Re-checks name real recommendations: the first pass tells which were issued.
        await reset(reference);
        await feed(reference, region, base, AS_OF, 1000);
        const issued = await reference('recommendation').select('recommendation_id', 'employer_key', 'departments', 'issued_at');
        const rechecks = issued.map((r, i) =>
          scenario(r.employer_key, '2026-01-01').recheck(r.recommendation_id, addDays(r.issued_at, 5 + (i % 3) * 20), i % 3 === 2 ? 'FAILED' : 'PASSED', {
            department: r.departments[0],
            received: [addDays(r.issued_at, 6 + (i % 3) * 20), '2026-11-24'].sort()[0],
            eventId: `chk-${r.recommendation_id}`,
          }),
        );
        const all = [...base, ...rechecks];

        await reset(reference);
        await feed(reference, region, all, AS_OF, 1000);
        await sweep(reference, region, AS_OF);

        // Shuffled with the seed, some events delivered twice, in batches of `batchSize`.
        const rng = mulberry32(seed);
        const shuffled = [...all].sort(() => rng() - 0.5);
        for (const r of redeliver) shuffled.splice(r % (shuffled.length + 1), 0, shuffled[r % shuffled.length]);
        await reset(permuted);
        await feed(permuted, region, shuffled, AS_OF, batchSize);
        await sweep(permuted, region, AS_OF);

        expect(await outcome(permuted)).toEqual(await outcome(reference));
        const published = await outboxCount(permuted);
        await sweep(permuted, region, AS_OF);
        expect(await outboxCount(permuted)).toBe(published);
        if (process.env.DEBUG_PERM) console.log(`run: ${all.length} events, batches of ${batchSize}, ${Date.now() - t0} ms`);
      },
    ),
    { numRuns: Number(process.env.PERM_RUNS ?? 30), seed: Number(process.env.PERM_SEED ?? 20261125), endOnFailure: true },
  );
}, 600_000);

function mulberry32(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
