import { hash } from 'node:crypto';

/**
 * Corrections (CONTRACT section 2): what counts as the content of an event, and how the records
 * of one request that share an eventId line up as successive revisions. Pure functions.
 */

/** Set by the gateway on the way out, not part of what the department said. */
const NOT_CONTENT = new Set(['ingestedAt', 'source', 'revision', 'firstIngestedAt']);

/** The content's keys in sorted order, per set of keys (a type's values all have the same few). */
const contentKeysOf = new Map<string, string[]>();

/** SHA-256 (hex) of a validated value without its arrival time, source and revision fields. */
export function contentHash(value: Record<string, unknown>): string {
  const keys = Object.keys(value);
  const signature = keys.join('\u0000');
  let sorted = contentKeysOf.get(signature);
  if (!sorted) {
    sorted = keys.filter((k) => !NOT_CONTENT.has(k)).sort();
    if (contentKeysOf.size < 1_000) contentKeysOf.set(signature, sorted);
  }
  // Stored hashes were made from exactly this text: [[key, value], …] in key order.
  const content = sorted.map((k) => [k, value[k] ?? null]);
  return hash('sha256', JSON.stringify(content), 'hex');
}

export interface Accepted {
  position: number;
  eventId: string;
  key: string;
  value: Record<string, unknown>;
}

export interface Step extends Accepted {
  hash: string;
}

/**
 * The valid records of one request grouped by eventId, in order, as if sent one after another:
 * a record whose content equals the content its eventId has just had is a duplicate; a
 * different one is the next step (a correction of the step before it). Steps are numbered from 0.
 */
export function revisionSteps(records: Accepted[]): { chains: Map<string, Step[]>; duplicates: number } {
  const chains = new Map<string, Step[]>();
  let duplicates = 0;
  for (const r of records) {
    const step: Step = { ...r, hash: contentHash(r.value) };
    const chain = chains.get(r.eventId);
    if (!chain) chains.set(r.eventId, [step]);
    else if (chain[chain.length - 1].hash === step.hash) duplicates++;
    else chain.push(step);
  }
  return { chains, duplicates };
}
