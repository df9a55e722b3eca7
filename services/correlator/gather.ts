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
  private busy = false;

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
      // While a transaction runs, what arrives waits for it to end and is then taken together.
      if (!this.busy) this.schedule();
    });
  }

  private schedule(): void {
    if (this.size >= this.maxEvents) this.start();
    else this.timer ??= setTimeout(() => this.start(), this.waitMs);
  }

  /**
   * One transaction at a time, taking everything gathered when it starts (not when its wait
   * began): batches that arrive during a transaction make one next transaction, not several
   * small ones each re-evaluating the same employers.
   */
  private start(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.busy || !this.pending.length) return;
    const taken = this.pending;
    this.pending = [];
    this.size = 0;
    this.busy = true;
    void this.process(taken.flatMap((t) => t.events))
      .then(
        (result) => taken.forEach((t) => t.done(result)),
        (err) => taken.forEach((t) => t.fail(err)),
      )
      .finally(() => {
        this.busy = false;
        // The partitions just answered add their next batches within moments: wait for them too.
        if (this.pending.length) this.schedule();
      });
  }
}
