import { accident, project, viewOf } from '../../../test/fixtures/facts';
import { projectUninsured } from './projectUninsured';

const TODAY = '2026-11-24';
const building = { industryCode: 'E4710' };

describe('PROJECT_UNINSURED', () => {
  test('a project without an insurance certificate asks 住建 to supervise', () => {
    const f = projectUninsured(viewOf([project('P1', '2026-03-01', null)], TODAY, building))!;
    expect(f.severity).toBe('MEDIUM');
    expect(f.routedTo).toEqual(['housing']);
    expect(f.problems[0]).toMatchObject({ department: 'housing', key: 'P1' });
  });

  test.each(['无', '暂无', '未提交', '待补', '/', '-', '0', ' 无 '])('参保证明编号 “%s” is no certificate', (placeholder) => {
    expect(projectUninsured(viewOf([project('P1', '2026-03-01', placeholder)], TODAY, building))).not.toBeNull();
  });

  test('a real certificate number is one', () => {
    expect(projectUninsured(viewOf([project('P1', '2026-03-01', 'SQGS-2026-0001')], TODAY, building))).toBeNull();
  });

  test('a project registered before its start date counts from its registration', () => {
    const f = projectUninsured(viewOf([project('P1', '2027-03-01', null, { known: '2026-11-20' })], TODAY, building))!;
    expect(f.since).toBe('2026-11-20');
  });

  test('an accident on such a project escalates it', () => {
    const f = projectUninsured(viewOf([project('P1', '2026-03-01', null, { department: 'transport' }), accident('2026-10-01', { projectId: 'P1' })], TODAY, { industryCode: 'E4810' }))!;
    expect(f.severity).toBe('HIGH');
    expect(f.routedTo).toEqual(['transport']);
    expect(f.evidence.map((e) => e.eventType).sort()).toEqual(['accident', 'project']);
  });

  test('an accident on the project reported under a subcontractor escalates it too', () => {
    const sub = accident('2026-10-01', { projectId: 'P1' });
    const f = projectUninsured(viewOf([project('P1', '2026-03-01', null)], TODAY, { ...building, projectAccidents: [sub] }))!;
    expect(f.severity).toBe('HIGH');
    expect(f.evidence).toContain(sub);
  });

  test('a corrected record of the project that carries the certificate ends it', () => {
    expect(projectUninsured(viewOf([project('P1', '2026-03-01', 'SQGS-1', { eventId: 'P1', revision: 2 })], TODAY, building))).toBeNull();
  });
});
