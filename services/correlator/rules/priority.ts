import { Department } from '../../shared/contract';
import { DEPARTMENT_SHORT } from '../../shared/catalog';
import { Finding } from './types';

/**
 * PRIORITY: dangerous (HAZARD_EXCEEDED or ACCIDENT_PRONE) and uninsured (UNINSURED or
 * UNDER_INSURED) at once: top of the weekly list, one joint recommendation of 人社 with
 * 卫生健康/应急管理 (the recommendation book-keeping joins their problems; PRIORITY adds none).
 */
export function priority(findings: Finding[]): Finding | null {
  const danger = findings.filter((f) => f.rule === 'HAZARD_EXCEEDED' || f.rule === 'ACCIDENT_PRONE');
  const insurance = findings.filter((f) => f.rule === 'UNINSURED' || f.rule === 'UNDER_INSURED');
  if (!danger.length || !insurance.length) return null;
  const since = [danger.map((d) => d.since).sort()[0], insurance.map((d) => d.since).sort()[0]].sort()[1];
  const dangerDepts: Department[] = [...new Set(danger.flatMap((d) => d.routedTo))];
  const evidence = [...new Map([...danger, ...insurance].flatMap((f) => f.evidence).map((e) => [`${e.department}|${e.eventType}|${e.eventId}`, e])).values()];
  return {
    rule: 'PRIORITY',
    since,
    evidence,
    severity: 'CRITICAL',
    score: Math.round((100 + Math.max(...[...danger, ...insurance].map((d) => d.score)) / 10) * 10) / 10,
    explanation:
      `该单位同时存在${danger.map((d) => (d.rule === 'HAZARD_EXCEEDED' ? '职业病危害因素超标' : '事故多发')).join('和')}` +
      `与${insurance.some((f) => f.rule === 'UNINSURED') ? '未依法参保' : '参保不足'}问题，职工一旦受到伤害将得不到工伤保险保障，列为重点单位，` +
      `建议人社与${dangerDepts.map((d) => DEPARTMENT_SHORT[d]).join('、')}部门联合督办。`,
    routedTo: ['hrss', ...dangerDepts],
    late: danger.some((d) => d.late) || insurance.some((d) => d.late),
    problems: [],
  };
}

/** The departments a PRIORITY joint recommendation brings together. */
export function priorityDepartments(p: Finding): Department[] {
  return p.routedTo;
}
