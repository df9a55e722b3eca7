import { cnDate } from '../../shared/time';
import { Fact, inWindow } from '../facts';
import { Finding } from './types';
import { EmployerView } from './view';

/** The day of a fact that shows someone worked there (accident, injury, diagnosis). */
const evidenceDay = (f: Fact): string => (f.eventType === 'injury' ? f.payload.injuryDate : f.eventType === 'disease' ? f.payload.diagnosedAt : f.day);

/**
 * UNINSURED: workers in evidence (an accident, an injury, a diagnosis, enrollment history) while
 * nobody was enrolled on the event's own date, or an injury 人社 recorded as uninsured. Judged
 * on the event date: enrolling someone afterwards does not undo it (the evidence counts for the
 * evidence window). Enrollment history counts while it is recent: an employer whose last
 * workers left within the window and that has nobody enrolled now.
 * The 参保扩面 problem stands while there is something to do: nobody enrolled today, or a
 * worker injured uninsured still not enrolled.
 */
export function uninsured(view: EmployerView): Finding | null {
  const EV = view.region.rules.evidenceWindowDays;
  const t = view.today;
  const timeline = view.enrollment;
  const inEvidence = (f: Fact) => inWindow(f, EV, t);
  const workEvidence = [...view.byType('accident'), ...view.byType('injury'), ...view.byType('disease')].filter(inEvidence);
  const zeroOnEventDay = workEvidence.filter((f) => timeline.enrolledOn(evidenceDay(f)) === 0);
  const injuredUninsured = view.byType('injury').filter((f) => inEvidence(f) && f.payload.insuredAtInjury === false);
  const enrolledNow = timeline.enrolledOn(t);
  // Enrollment history: everyone terminated within the window, nobody enrolled now.
  const recentTerminations =
    enrolledNow === 0 && timeline.hadEnrollmentBy(t)
      ? view.byType('enrollment').filter((f) => f.payload.action === 'TERMINATE' && inEvidence(f))
      : [];
  const evidence = [...new Map([...zeroOnEventDay, ...injuredUninsured, ...recentTerminations].map((f) => [`${f.eventType}|${f.eventId}`, f])).values()];
  if (!evidence.length) return null;
  const since = evidence.map(evidenceDay).sort()[0];
  const count = (type: string) => evidence.filter((f) => f.eventType === type).length;
  const stillUninsured = injuredUninsured.filter((f) => !timeline.isPersonEnrolledOn(f.payload.personId, t));
  const needsAction = enrolledNow === 0 || stillUninsured.length > 0;
  const problemEvidence = needsAction ? evidence.filter((f) => f.eventType === 'enrollment' || view.unrectified('hrss', f)) : [];
  const parts = [
    count('accident') ? `事故 ${count('accident')} 起` : '',
    count('injury') ? `工伤认定 ${count('injury')} 件` : '',
    count('disease') ? `职业病诊断 ${count('disease')} 例` : '',
    count('enrollment') ? `近期停保记录 ${count('enrollment')} 条` : '',
  ].filter(Boolean);
  const details = [
    ...zeroOnEventDay.map((f) => `${cnDate(evidenceDay(f))}${f.eventType === 'accident' ? '发生事故' : f.eventType === 'injury' ? '职工受伤' : '职业病确诊'}时，该单位工伤保险参保人数为 0`),
    ...injuredUninsured.filter((f) => !zeroOnEventDay.includes(f)).map((f) => `${cnDate(f.payload.injuryDate)}受伤职工受伤时未参加工伤保险（人社部门工伤认定记录）`),
    ...(recentTerminations.length ? [`${cnDate(recentTerminations[recentTerminations.length - 1].payload.effectiveDate)}起参保人数为 0`] : []),
  ];
  return {
    rule: 'UNINSURED',
    since,
    evidence,
    severity: 'HIGH',
    score: 60 + (count('injury') > 0 ? 10 : 0),
    explanation:
      `该单位有用工证据（${parts.join('、')}），但${details.join('；')}，属未依法参加工伤保险。` +
      (needsAction ? '建议人社部门督促参保扩面。' : `此后已有职工参保（现参保 ${enrolledNow} 人），请人社部门核实未参保期间的工伤保险待遇支付情况。`),
    routedTo: ['hrss'],
    late: false,
    problems: problemEvidence.length ? [{ rule: 'UNINSURED', department: 'hrss', key: 'uninsured', evidence: problemEvidence, details }] : [],
  };
}
