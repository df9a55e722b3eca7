import { Department } from '../../shared/contract';
import { isMissingCertificate } from '../../shared/catalog';
import { describeAccident, formatMoney } from '../../shared/format';
import { cnDate } from '../../shared/time';
import { Fact } from '../facts';
import { Finding, Problem } from './types';
import { EmployerView } from './view';

/**
 * PROJECT_UNINSURED: a project registered without its 项目参保缴费证明 (empty, or a placeholder
 * such as 无 or 待补). It escalates when an accident happens on the project, whichever employer
 * (general contractor or subcontractor) the accident was reported under. A corrected project
 * record that now carries its certificate ends it.
 */
export function projectUninsured(view: EmployerView): Finding | null {
  const latest = new Map<string, Fact>();
  for (const p of view.byType('project')) {
    const prev = latest.get(p.payload.projectId);
    if (!prev || prev.knownDay < p.knownDay || (prev.knownDay === p.knownDay && prev.eventId < p.eventId)) latest.set(p.payload.projectId, p);
  }
  const uncertified = [...latest.values()].filter((p) => isMissingCertificate(p.payload.insuranceCertificate)).sort((a, b) => (a.payload.projectId < b.payload.projectId ? -1 : 1));
  if (!uncertified.length) return null;
  const ids = new Set(uncertified.map((p) => p.payload.projectId));
  const accidents = [...view.byType('accident'), ...view.projectAccidents.filter((a) => a.knownDay <= view.today && a.day <= view.today)].filter(
    (a) => a.payload.projectId && ids.has(a.payload.projectId),
  );
  const problems: Problem[] = uncertified.map((p) => {
    const onIt = accidents.filter((a) => a.payload.projectId === p.payload.projectId);
    return {
      rule: 'PROJECT_UNINSURED',
      department: (p.department === 'transport' ? 'transport' : 'housing') as Department,
      key: p.payload.projectId,
      evidence: [p, ...onIt],
      details: [
        `工程项目“${p.payload.projectName}”（项目编号 ${p.payload.projectId}，开工日期 ${cnDate(p.payload.startDate)}，合同金额 ${formatMoney(Number(p.payload.contractValueYuan))}）未提交项目参保缴费证明`,
        ...onIt.map((a) => `项目上已发生事故：${describeAccident(a.payload as never)}`),
      ],
    };
  });
  const since = uncertified.map((p) => p.knownDay).sort()[0];
  const depts = [...new Set(problems.map((p) => p.department))].sort();
  return {
    rule: 'PROJECT_UNINSURED',
    since,
    evidence: [...uncertified, ...accidents],
    severity: accidents.length ? 'HIGH' : 'MEDIUM',
    score: accidents.length ? 60 : 35,
    explanation:
      `该单位承建的 ${uncertified.length} 个工程项目（${uncertified.map((p) => p.payload.projectName).join('、')}）未提交项目参保缴费证明` +
      (accidents.length ? `，且项目上已发生事故 ${accidents.length} 起，升级督办。` : '。') +
      '建议行业主管部门督促按项目参加工伤保险。',
    routedTo: depts,
    late: false,
    problems,
  };
}
