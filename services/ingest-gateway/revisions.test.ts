import { createHash } from 'node:crypto';
import { contentHash, revisionSteps } from './revisions';

const value = { eventId: 'P-1', department: 'housing', projectName: '安置房', insuranceCertificate: null, ingestedAt: '2026-11-01T00:00:00.000Z', source: 'API' };

describe('the content of an event', () => {
  test('is the value without arrival time, source, revision and first ingestion time', () => {
    const later = { ...value, ingestedAt: '2026-11-24T00:00:00.000Z', source: 'FILE', revision: 3, firstIngestedAt: '2026-11-01T00:00:00.000Z' };
    expect(contentHash(later)).toBe(contentHash(value));
  });
  test('changes with any field the department sent, and does not depend on key order', () => {
    expect(contentHash({ ...value, insuranceCertificate: 'GSBZ-1' })).not.toBe(contentHash(value));
    const { eventId, ...rest } = value;
    expect(contentHash({ ...rest, eventId })).toBe(contentHash(value));
  });
  test('is hashed from the same text as in earlier versions, so a record accepted before an upgrade and sent again is still a duplicate', () => {
    const enrolled = { eventId: 'HR-1', personId: 'psn_a', action: 'ENROLL', dustExposed: true, projectId: null, department: 'hrss', source: 'API', ingestedAt: '2026-03-02T00:00:00.000Z' };
    // The stored form: [[key, value], …] in key order, without the arrival fields.
    const stored = '[["action","ENROLL"],["department","hrss"],["dustExposed",true],["eventId","HR-1"],["personId","psn_a"],["projectId",null]]';
    const expected = createHash('sha256').update(stored).digest('hex');
    expect(contentHash(enrolled)).toBe(expected);
    // A second value with the same keys takes their order from the cache.
    expect(contentHash({ ...enrolled, ingestedAt: '2026-03-09T00:00:00.000Z' })).toBe(expected);
  });
});

describe('records of one eventId in one request', () => {
  const rec = (position: number, projectName: string, eventId = 'P-1') => ({ position, eventId, key: 'K', value: { ...value, eventId, projectName } });
  test('repeat the latest content: duplicate; differ from it: the next step', () => {
    const { chains, duplicates } = revisionSteps([rec(0, 'A'), rec(1, 'A'), rec(2, 'B'), rec(3, 'A'), rec(4, 'x', 'P-2')]);
    expect(duplicates).toBe(1);
    expect(chains.get('P-1')!.map((s) => [s.position, s.value.projectName])).toEqual([[0, 'A'], [2, 'B'], [3, 'A']]);
    expect(chains.get('P-2')!.map((s) => s.position)).toEqual([4]);
  });
});
