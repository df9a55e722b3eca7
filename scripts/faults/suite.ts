import { Admin } from 'kafkajs';
import { Knex } from 'knex';
import { Answer, Ledger } from './ledger';
import { PrivateStack } from './privateStack';
import { HubProcess, sleep } from './services';

/** What every case gets: the private stack, the running services, the ledger of what was taken. */
export interface Suite {
  stack: PrivateStack;
  run: string;
  ledger: Ledger;
  gateway: HubProcess;
  correlator: HubProcess;
  portal: HubProcess;
  reporter: HubProcess;
  /** The hub's database on the private PostgreSQL (the main correlator's state). */
  db: Knex;
  admin: Admin;
  mainGroup: string;
  outDir: string;
  log(s: string): void;
}

export interface CaseResult {
  name: string;
  faults: number;
  seconds: number;
  /** Label → value, printed as the case's lines. */
  measurements: [string, string][];
  failures: string[];
  /** Goals not met that are not failures (resume under 10 s where Kafka's group protocol sets the pace). */
  missedGoals?: string[];
  /** Seconds from a dependency's return until each service worked again. */
  resume: Record<string, number | null>;
  /** The gateway's answers around the fault (seconds from the fault), for the JSON report. */
  timeline?: { t: number; ms: number; status: number; retryAfter: string | null; message?: string }[];
  marks?: Record<string, number>;
}

/** /readyz of each service, polled every 250 ms: when it went not-ready and when ready again. */
export class ReadinessWatch {
  private timer: NodeJS.Timeout | null = null;
  readonly transitions = new Map<string, { at: number; ready: boolean }[]>();

  constructor(private readonly services: HubProcess[]) {}

  start(): void {
    const tick = async () => {
      await Promise.all(
        this.services.map(async (s) => {
          const ready = await s.answers('/readyz');
          const list = this.transitions.get(s.name) ?? [];
          if (list.length === 0 || list[list.length - 1].ready !== ready) list.push({ at: Date.now(), ready });
          this.transitions.set(s.name, list);
        }),
      );
      if (this.timer) this.timer = setTimeout(tick, 250);
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Seconds after `t` until the service said not ready (null: it never did). */
  notReadyAfter(name: string, t: number): number | null {
    const x = (this.transitions.get(name) ?? []).find((e) => e.at >= t && !e.ready);
    return x ? (x.at - t) / 1000 : null;
  }

  /** Seconds after `t` until the service said ready again (null: not yet). */
  readyAfter(name: string, t: number): number | null {
    const list = this.transitions.get(name) ?? [];
    const last = list[list.length - 1];
    if (!last?.ready) return null;
    return Math.max(0, (last.at - t) / 1000);
  }
}

/**
 * How the gateway answered around an outage. `tFault`: the fault began; `tDown`: the dependency
 * was down; `tBackStart`: it was being started again; `tBack`: it answered again.
 */
export function outageAnswers(answers: Answer[], t: { tFault: number; tDown: number; tBackStart: number; tBack: number }, what: string) {
  const failures: string[] = [];
  const measurements: [string, string][] = [];
  const arrived = (a: Answer) => a.at + a.ms;
  const around = answers.filter((a) => arrived(a) >= t.tFault);
  const bare = around.filter((a) => a.status === 0 || (a.status >= 500 && a.status !== 503));
  if (bare.length) failures.push(`${bare.length} answers were a bare error (${[...new Set(bare.map((a) => a.status || 'connection failed'))].join(', ')}): ${bare[0].body?.message ?? ''}`);
  const noRetry = around.filter((a) => (a.status === 503 || a.status === 429) && !a.retryAfter);
  if (noRetry.length) failures.push(`${noRetry.length} refusals without Retry-After`);
  const during = answers.filter((a) => a.at >= t.tDown && a.at < t.tBackStart);
  const ok = during.filter((a) => a.status === 200);
  if (ok.length) failures.push(`${ok.length} requests sent while ${what} was down were answered 200`);
  const slowest = Math.max(0, ...during.map((a) => a.ms));
  measurements.push([`slowest answer while ${what} was down`, `${(slowest / 1000).toFixed(2)} s (${during.length} requests, all ${[...new Set(during.map((a) => a.status))].join('/') || '—'})`]);
  if (slowest > 5_000) failures.push(`an answer while ${what} was down took ${(slowest / 1000).toFixed(1)} s (goal: a few seconds)`);
  const firstRefusal = around.filter((a) => a.status === 503).sort((x, y) => arrived(x) - arrived(y))[0];
  const refusedAfter = firstRefusal ? (arrived(firstRefusal) - t.tFault) / 1000 : null;
  measurements.push([`first 503 after ${what} went down`, refusedAfter === null ? 'none' : `${refusedAfter.toFixed(2)} s, Retry-After ${firstRefusal!.retryAfter}: ${firstRefusal!.body?.message ?? ''}`]);
  if (refusedAfter === null) failures.push(`the gateway never answered 503 while ${what} was down`);
  else if (refusedAfter > 10) failures.push(`the first 503 came ${refusedAfter.toFixed(1)} s after ${what} went down (goal: a few seconds)`);
  const resumed = answers.filter((a) => a.at >= t.tBack && a.status === 200).sort((x, y) => arrived(x) - arrived(y))[0];
  const gatewayResume = resumed ? Math.max(0, (arrived(resumed) - t.tBack) / 1000) : null;
  return { failures, measurements, gatewayResume };
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function waitOrFail(what: string, p: Promise<number | null>, failures: string[]): Promise<number | null> {
  const at = await p;
  if (at === null) failures.push(`${what}: did not happen in time`);
  return at;
}

export { sleep };
