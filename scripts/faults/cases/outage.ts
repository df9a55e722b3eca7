import { Prober, committedSum, until } from '../probe';
import { CaseResult, ReadinessWatch, Suite, outageAnswers, seconds, sleep } from '../suite';

/**
 * A dependency (Kafka, the registry, PostgreSQL) goes away while a department keeps sending, and
 * comes back: how the gateway answered meanwhile, how soon each service noticed (readiness) and
 * how soon each worked again. `busy` runs first (PostgreSQL is cut while the correlator works).
 */
/** The correlator's default Kafka session timeout (services/correlator/correlator.ts), in seconds. */
const CORRELATOR_SESSION_S = 10;

export interface Outage {
  name: string;
  /** As the printed lines name it: Kafka, the schema registry, PostgreSQL. */
  what: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  downMs: number;
  busy?(s: Suite): Promise<void>;
  /** Services whose readiness should drop while it is down. */
  mustNotice: string[];
}

export async function outageCase(s: Suite, o: Outage, probeOffset: number): Promise<CaseResult> {
  const began = Date.now();
  const failures: string[] = [];
  const measurements: [string, string][] = [];
  const watch = new ReadinessWatch([s.gateway, s.correlator, s.portal, s.reporter]);
  watch.start();
  const prober = new Prober(s.gateway.url, s.ledger, `${s.run}-${o.name}`, probeOffset);
  prober.start();
  await sleep(2_000);
  if (o.busy) await o.busy(s);
  const committedBefore = await committedSum(s.db, s.mainGroup);

  const tFault = Date.now();
  await o.stop();
  const tDown = Date.now();
  s.log(`  ${o.what} stopped (${seconds(tDown - tFault)}); down for ${seconds(o.downMs)}`);
  await sleep(o.downMs);
  const tBackStart = Date.now();
  await o.start();
  const tBack = Date.now();
  s.log(`  ${o.what} back (started in ${seconds(tBack - tBackStart)})`);
  // Baseline for "the correlator committed again": now, unless the database itself was down
  // (then nothing could have been committed since before the fault).
  const base = o.name === 'postgres' ? committedBefore : await committedSum(s.db, s.mainGroup);
  const correlatorAt = await until(async () => (await committedSum(s.db, s.mainGroup)) > base, 90_000, 100);
  const gatewayAt = await until(async () => prober.firstAfter(tBack, (a) => a.status === 200) !== undefined, 90_000, 100);
  await until(async () => ['ingest-gateway', 'correlator', 'portal', 'reporter'].every((n) => watch.readyAfter(n, tBack) !== null), 60_000, 250);
  await sleep(1_000);
  await prober.stop();
  watch.stop();

  const g = outageAnswers(s.ledger.answers, { tFault, tDown, tBackStart, tBack }, o.what);
  failures.push(...g.failures);
  measurements.push(...g.measurements);
  const correlatorResume = correlatorAt === null ? null : (correlatorAt - tBack) / 1000;
  if (gatewayAt === null) failures.push(`the gateway did not take records within 90 s of ${o.what}'s return`);
  if (correlatorAt === null) failures.push(`the correlator did not commit within 90 s of ${o.what}'s return`);
  const resume: Record<string, number | null> = { gateway: g.gatewayResume, correlator: correlatorResume };
  for (const name of ['portal', 'reporter']) resume[name] = watch.readyAfter(name, tBack);
  for (const name of ['ingest-gateway', 'correlator', 'portal', 'reporter']) {
    const noticed = watch.notReadyAfter(name, tFault);
    measurements.push([`${name} /readyz`, `${noticed === null ? 'stayed ready' : `not ready ${noticed.toFixed(1)} s after the fault`}; ready ${watch.readyAfter(name, tBack)?.toFixed(1) ?? '—'} s after ${o.what} returned`]);
    if (o.mustNotice.includes(name) && noticed === null) failures.push(`${name} /readyz never said it was not ready while ${o.what} was down`);
  }
  measurements.push([
    'resume after return',
    `gateway ${g.gatewayResume?.toFixed(1) ?? '—'} s · correlator first commit ${correlatorResume?.toFixed(1) ?? '—'} s (goal: under 10 s)`,
  ]);
  const missedGoals: string[] = [];
  for (const [name, t] of Object.entries(resume)) {
    if (t === null || t <= 10) continue;
    // The correlator rejoins its consumer group as a new member after a broker restart (kafkajs
    // cannot keep its member id across a crash): the group hands out partitions only when the old
    // member's session (10 s) has expired. Beyond that plus 10 s it is a failure; up to it, a missed goal.
    if (name === 'correlator' && t <= CORRELATOR_SESSION_S + 10) missedGoals.push(`correlator resumed ${t.toFixed(1)} s after ${o.what} returned (goal: under 10 s; bounded by the consumer group's session timeout of ${CORRELATOR_SESSION_S} s)`);
    else failures.push(`${name} took ${t.toFixed(1)} s to resume after ${o.what} returned (goal: under 10 s)`);
  }
  for (const m of missedGoals) s.log(`  ⚠ ${m}`);
  const timeline = s.ledger.answers
    .filter((a) => a.at + a.ms >= tFault - 2_000 && a.at <= (gatewayAt ?? tBack) + 2_000)
    .map((a) => ({ t: (a.at - tFault) / 1000, ms: a.ms, status: a.status, retryAfter: a.retryAfter, message: a.status === 200 ? undefined : a.body?.message }));
  const marks = { down: (tDown - tFault) / 1000, backStart: (tBackStart - tFault) / 1000, back: (tBack - tFault) / 1000 };
  return { name: o.name, faults: 1, seconds: (Date.now() - began) / 1000, measurements, failures, missedGoals, resume, timeline, marks };
}
