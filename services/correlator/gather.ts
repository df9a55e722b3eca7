import { InputEvent, MAX_EVENTS_PER_TRANSACTION, ProcessResult } from './batch';

/**
 * Kafka hands the correlator one partition's batch at a time, and an employer's events lie on
 * several topics (its register record, enrollments, measurements…): taken one batch per
 * transaction, the same employer's history was lived again for each topic. The gatherer takes
 * the batches of several partitions (consumed concurrently) into one transaction — up to the
 * transaction's size, or after a short wait — so that each employer is evaluated once. Every
 * caller learns when the transaction holding its events has committed.
 */
export class Gatherer {
  private pending: { events: InputEvent[]; done: (r: ProcessResult) => void; fail: (e: unknown) => void }[] = [];
  private size = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly process: (events: InputEvent[]) => Promise<ProcessResult>,
    private readonly waitMs = 25,
    private readonly maxEvents = MAX_EVENTS_PER_TRANSACTION,
  ) {}

  /** Resolves when a transaction holding these events has committed. */
  add(events: InputEvent[]): Promise<ProcessResult> {
    return new Promise((done, fail) => {
      this.pending.push({ events, done, fail });
      this.size += events.length;
      if (this.size >= this.maxEvents) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.waitMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const taken = this.pending;
    this.pending = [];
    this.size = 0;
    if (!taken.length) return;
    // One transaction at a time: what arrives meanwhile gathers for the next.
    this.running = this.running.then(async () => {
      try {
        const result = await this.process(taken.flatMap((t) => t.events));
        for (const t of taken) t.done(result);
      } catch (err) {
        for (const t of taken) t.fail(err);
      }
    });
  }
}
