import { isDustFactor } from '../../shared/catalog';
import { formatPercent } from '../../shared/format';
import { cnDate } from '../../shared/time';
import { Fact } from '../facts';
import { Finding } from './types';
import { EmployerView, episodeStart } from './view';

/**
 * Dust-exposed workers (接害人数) as the latest dust measurements name them on `day`: per post,
 * the latest dust measurement that says how many work there (the largest figure when several
 * dust factors were sampled that day), summed over posts.
 */
export function dustExposedWorkers(view: EmployerView, day: string): { workers: number; reports: Fact[] } {
  const latestByPost = new Map<string, Fact[]>();
  for (const f of view.byType('hazard')) {
    if (f.day > day || !isDustFactor(String(f.payload.factor)) || typeof f.payload.exposedWorkers !== 'number') continue;
    const post = String(f.payload.post).normalize('NFKC').trim();
    const prev = latestByPost.get(post);
    if (!prev || prev[0].day < f.day) latestByPost.set(post, [f]);
    else if (prev[0].day === f.day) prev.push(f);
  }
  let workers = 0;
  const reports: Fact[] = [];
  for (const facts of latestByPost.values()) {
    workers += Math.max(...facts.map((f) => Number(f.payload.exposedWorkers)));
    reports.push(...facts);
  }
  return { workers, reports };
}

/**
 * UNDER_INSURED (key industries): enrolled < threshold × headcount; in dust industries also
 * enrolled dust-exposed workers < threshold × the dust-exposed workers the latest dust
 * measurements name. Ends when coverage is back, which is 人社's re-check from its own data.
 */
export function underInsured(view: EmployerView): Finding | null {
  if (!view.keyIndustry) return null;
  const R = view.region.rules;
  const timeline = view.enrollment;
  const below = (day: string) => {
    const h = view.headcountOn(day);
    const byHeadcount = !!h && h.headcount > 0 && timeline.enrolledOn(day) < R.coverageThreshold * h.headcount;
    const dust = view.dustIndustry ? dustExposedWorkers(view, day).workers : 0;
    const byDust = dust > 0 && timeline.dustExposedEnrolledOn(day) < R.coverageThreshold * dust;
    return { byHeadcount, byDust, h, dust };
  };
  const points = [...view.byType('employer').map((r) => r.payload.asOf as string), ...timeline.changeDays(), ...view.byType('hazard').map((f) => f.day)];
  const since = episodeStart(points, (d) => {
    const b = below(d);
    return b.byHeadcount || b.byDust;
  }, view.today);
  if (!since) return null;
  const now = below(view.today);
  const enrolled = timeline.enrolledOn(view.today);
  const dustEnrolled = timeline.dustExposedEnrolledOn(view.today);
  const details: string[] = [];
  if (now.byHeadcount && now.h) {
    details.push(`职工 ${now.h.headcount} 人（${cnDate(now.h.fact.payload.asOf)}统计），工伤保险参保 ${enrolled} 人，参保率 ${formatPercent(enrolled / now.h.headcount)}，低于 ${formatPercent(R.coverageThreshold)}`);
  }
  if (now.byDust) {
    details.push(`粉尘危害检测报告载明接尘人数 ${now.dust} 人，接尘岗位参保 ${dustEnrolled} 人，参保率 ${formatPercent(dustEnrolled / now.dust)}，低于 ${formatPercent(R.coverageThreshold)}`);
  }
  const dust = view.dustIndustry ? dustExposedWorkers(view, view.today).reports : [];
  // The latest 20 enrollment records as evidence, in a fixed order whatever the arrival order.
  const enrollment = view.byType('enrollment').slice(-20);
  const evidence = [...(now.h ? [now.h.fact] : []), ...(now.byDust ? dust : []), ...enrollment];
  const coverage = now.h && now.h.headcount > 0 ? enrolled / now.h.headcount : 1;
  const dustCoverage = now.dust > 0 ? dustEnrolled / now.dust : 1;
  const worst = Math.min(now.byHeadcount ? coverage : 1, now.byDust ? dustCoverage : 1);
  return {
    rule: 'UNDER_INSURED',
    since,
    evidence,
    severity: worst < 0.5 ? 'HIGH' : 'MEDIUM',
    score: Math.round((40 + 40 * Math.max(0, R.coverageThreshold - worst)) * 10) / 10,
    explanation:
      `该单位属${view.dustIndustry ? '粉尘危害' : '重点'}行业（${view.industryCode}），${details.join('；')}。建议人社部门督促参保扩面${now.byDust ? '，接尘岗位劳动者优先' : ''}。`,
    routedTo: ['hrss'],
    late: false,
    problems: [
      ...(now.byHeadcount ? [{ rule: 'UNDER_INSURED' as const, department: 'hrss' as const, key: 'coverage', evidence: now.h ? [now.h.fact, ...enrollment] : enrollment, details: [details[0]] }] : []),
      ...(now.byDust ? [{ rule: 'UNDER_INSURED' as const, department: 'hrss' as const, key: 'dustCoverage', evidence: [...dust, ...enrollment], details: [details[details.length - 1]] }] : []),
    ],
  };
}
