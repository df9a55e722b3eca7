import { employerTraining } from './trainingCoverage';

describe('training coverage of an employer’s key posts', () => {
  test('trained key-post staff over the latest key-post headcount, at most all of them', () => {
    expect(employerTraining([{ heldAt: '2026-03-01', keyPostTrainees: 4, keyPostTotal: 10 }, { heldAt: '2026-09-01', keyPostTrainees: 3, keyPostTotal: 12 }])).toEqual({ trained: 7, total: 12, last: '2026-09-01' });
    expect(employerTraining([{ heldAt: '2026-03-01', keyPostTrainees: 9, keyPostTotal: 10 }, { heldAt: '2026-04-01', keyPostTrainees: 9, keyPostTotal: null }]).trained).toBe(10);
  });
  test('no training: nothing trained, headcount unknown', () => {
    expect(employerTraining([])).toEqual({ trained: 0, total: null, last: null });
  });
});
