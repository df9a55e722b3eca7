import { InputEvent, ProcessResult } from './batch';
import { Gatherer } from './gather';

/**
 * Several gatherers side by side, each taking the partitions whose number falls to it. One lane
 * runs one transaction at a time; the lanes run theirs at once, so that PostgreSQL works on one
 * lane's facts while Node lives another lane's histories (with a single lane each transaction
 * alternates between the two, each waiting for the other).
 *
 * Records are keyed by employer, and a key falls on the same partition number on every topic:
 * an employer's register record, enrollments and accidents stay in one lane, gathered together.
 * Lanes never share a partition, so each partition's events commit in order with their offsets.
 * An employer reached from two lanes (a name-only record linked to a USCC) is serialised by the
 * advisory locks of re-evaluation, as between two correlator instances; the profile and alias
 * writes before them can form a lock cycle, and PostgreSQL's abort is run again in place
 * (againOnConflict in batch.ts).
 */
export class Lanes {
  private readonly lanes: Gatherer[];

  constructor(count: number, makeGatherer: () => Gatherer) {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`lanes: ${count}`);
    this.lanes = Array.from({ length: count }, makeGatherer);
  }

  /** Resolves when a transaction holding these events (all of one partition) has committed. */
  add(partition: number, events: InputEvent[]): Promise<ProcessResult> {
    return this.lanes[partition % this.lanes.length].add(events);
  }
}
