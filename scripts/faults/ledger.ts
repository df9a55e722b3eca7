import { EventType } from '../../services/shared/contract';

/**
 * What the gateway told the departments, kept the way a department's system would: an eventId is
 * "taken" once an answer said accepted or duplicate (a duplicate was taken by an earlier request);
 * answers that took nothing (429, 503, a cut connection) leave it to be sent again. The suite then
 * checks that everything taken is in Kafka and in the correlator's state, once.
 */
export interface Answer {
  /** HTTP status, or 0 when the connection failed. */
  status: number;
  retryAfter: string | null;
  ms: number;
  at: number;
  body: { accepted?: number; duplicates?: number; rejected?: { index?: number; row?: number; reason: string }[]; code?: string; message?: string } | null;
}

export class Ledger {
  readonly taken = new Map<EventType, Set<string>>();
  readonly answers: Answer[] = [];
  rejected = 0;

  take(type: EventType, eventIds: string[]): void {
    const set = this.taken.get(type) ?? new Set<string>();
    for (const id of eventIds) set.add(id);
    this.taken.set(type, set);
  }

  count(): number {
    let n = 0;
    for (const s of this.taken.values()) n += s.size;
    return n;
  }

  /** Answers by status: 200 × 40, 503 × 12, … (0 = connection failed). */
  statuses(from = 0): Record<string, number> {
    const out: Record<string, number> = {};
    for (const a of this.answers.slice(from)) out[a.status] = (out[a.status] ?? 0) + 1;
    return out;
  }
}

/** POSTs JSON records as a department does, records the answer, and enters what was taken. */
export async function postRecords(gatewayUrl: string, ledger: Ledger, type: EventType, department: string, records: Record<string, unknown>[], timeoutMs = 120_000): Promise<Answer> {
  const started = Date.now();
  let answer: Answer;
  try {
    const res = await fetch(`${gatewayUrl}/v1/events/${type}`, {
      method: 'POST',
      headers: { authorization: `Bearer dev-${department}`, 'content-type': 'application/json' },
      body: JSON.stringify(records),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: Answer['body'] = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = { message: text.slice(0, 200) };
    }
    answer = { status: res.status, retryAfter: res.headers.get('retry-after'), ms: Date.now() - started, at: started, body };
  } catch (err) {
    answer = { status: 0, retryAfter: null, ms: Date.now() - started, at: started, body: { message: (err as Error).message } };
  }
  ledger.answers.push(answer);
  if (answer.status === 200 && answer.body) {
    const rejected = new Set((answer.body.rejected ?? []).map((r) => r.index));
    ledger.rejected += rejected.size;
    ledger.take(type, records.filter((_, i) => !rejected.has(i)).map((r) => String(r.eventId)));
  }
  return answer;
}

/**
 * Sends records until every one is taken, waiting as Retry-After says (as the whp CLI and a
 * department's system should): the way records get in while the hub is recovering.
 */
export async function submitAll(gatewayUrl: string, ledger: Ledger, type: EventType, department: string, records: Record<string, unknown>[], batch = 2000, deadlineMs = 300_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (let i = 0; i < records.length; i += batch) {
    const part = records.slice(i, i + batch);
    for (;;) {
      const a = await postRecords(gatewayUrl, ledger, type, department, part);
      if (a.status === 200) break;
      if (Date.now() > deadline) throw new Error(`${type}: records not taken within ${deadlineMs / 1000} s (last answer ${a.status} ${a.body?.message ?? ''})`);
      await new Promise((r) => setTimeout(r, Math.min(5, Number(a.retryAfter) || 1) * 1000));
    }
  }
}
