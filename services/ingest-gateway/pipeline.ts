import { BatchItem, BatchOutcome, IngestContext, IngestDeps, commitBatch, prepareBatch } from './ingest';

/**
 * Batches of one request, committed one after another in request order (revision r of an
 * eventId reaches Kafka before r + 1), each validated while the batch before it is still with
 * PostgreSQL and Kafka: the CPU work of one overlaps the waiting of the other.
 */
export class BatchPipeline {
  private inflight: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: IngestDeps,
    private readonly onOutcome: (o: BatchOutcome) => void,
  ) {}

  /** Validates the batch, waits for the one before to commit, then starts this one's commit. */
  async push(ctx: IngestContext, items: BatchItem[]): Promise<void> {
    const prepared = prepareBatch(this.deps, ctx, items);
    await this.inflight;
    this.inflight = commitBatch(this.deps, prepared).then(this.onOutcome);
    this.inflight.catch(() => {}); // awaited at the next push or by drain()
  }

  /** Settles when the last batch has committed; rejects with its error if it failed. */
  drain(): Promise<void> {
    return this.inflight;
  }
}
