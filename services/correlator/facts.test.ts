import { dayOf } from '../shared/time';
import { eventTimeOf, toFact } from './facts';

describe('the event time of each type', () => {
  test('is the event time of a contribution: its first day, Beijing midnight', () => {
    expect(eventTimeOf('contribution', { period: '2026' })).toBe('2026-01-01T00:00:00+08:00');
    expect(eventTimeOf('contribution', { period: '2026-Q3' })).toBe('2026-07-01T00:00:00+08:00');
    expect(eventTimeOf('benefit', { paidAt: '2026-11-05' })).toBe('2026-11-05T00:00:00+08:00');
    expect(eventTimeOf('training', { heldAt: '2026-09-18' })).toBe('2026-09-18T00:00:00+08:00');
    expect(eventTimeOf('inspection', { inspectedAt: '2026-10-21' })).toBe('2026-10-21T00:00:00+08:00');
  });
});

test('an instant late in the evening in Beijing belongs to that Shanghai day, not the UTC day', () => {
  expect(dayOf('2026-11-20T15:30:00.000Z')).toBe('2026-11-20');
  expect(dayOf('2026-11-20T16:30:00.000Z')).toBe('2026-11-21');
  const f = toFact(
    { department: 'emergency', event_type: 'accident', event_id: 'a', event_time: '2026-11-20T15:30:00.000Z', payload: { ingestedAt: '2026-11-20T16:30:00.000Z' } },
    '2026-12-31',
  );
  expect([f.day, f.knownDay]).toEqual(['2026-11-20', '2026-11-21']);
});
