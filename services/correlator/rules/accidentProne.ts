import { describeAccident, formatNumber } from '../../shared/format';
import { cnDate } from '../../shared/time';
import { Fact, inWindow, windowOf } from '../facts';
import { Finding } from './types';
import { EmployerView, episodeStart } from './view';

/**
 * The accidents an employer's window counts on `day`: those of the trailing N days, and a fatal
 * accident reported only after its window had passed counts from the day it was reported (迟报).
 */
export function accidentsInWindow(view: EmployerView, day: string): Fact[] {
  const W = view.region.rules.accidentWindowDays;
  return view.byType('accident').filter((a) => inWindow(a, W, day, Number(a.payload.deaths) > 0));
}

/** Plain accident rate per 100 insured workers, and the section's, on `day`. */
export function accidentRates(view: EmployerView, accidents: number, day: string): { rate: number; sectionRate: number } | null {
  const s = view.section ? view.ctx.sectionRates[view.section] : undefined;
  const insured = view.enrollment.enrolledOn(day);
  if (!s || s.insuredWorkers <= 0 || insured <= 0) return null;
  return { rate: (accidents / insured) * 100, sectionRate: (s.accidents / s.insuredWorkers) * 100 };
}

/**
 * ACCIDENT_PRONE: ≥ N accidents in the trailing window, or one with a death in it, or a plain
 * accident rate per 100 insured workers ≥ M × its section's average (with ≥ K accidents).
 * The plain rate decides the flag; a smoothed rate only ranks (score).
 */
export function accidentProne(view: EmployerView): Finding | null {
  const R = view.region.rules;
  const holds = (day: string): boolean => {
    const w = accidentsInWindow(view, day);
    if (w.length >= R.accidentCountThreshold || w.some((a) => Number(a.payload.deaths) > 0)) return true;
    const r = w.length >= R.accidentRateMinAccidents ? accidentRates(view, w.length, day) : null;
    return !!r && r.sectionRate > 0 && r.rate >= R.accidentRateMultiple * r.sectionRate;
  };
  const accidents = view.byType('accident');
  const points = [
    ...accidents.flatMap((a) => {
      const w = windowOf(a, R.accidentWindowDays, Number(a.payload.deaths) > 0);
      return [w.from, w.until];
    }),
    ...view.enrollment.changeDays(),
  ];
  const since = episodeStart(points, holds, view.today);
  if (!since) return null;
  const w = accidentsInWindow(view, view.today);
  const deaths = w.reduce((s, a) => s + Number(a.payload.deaths ?? 0), 0);
  const serious = w.reduce((s, a) => s + Number(a.payload.seriousInjuries ?? 0), 0);
  const late = w.filter((a) => windowOf(a, R.accidentWindowDays, true).late);
  const rates = accidentRates(view, w.length, view.today);
  // Empirical-Bayes smoothing toward the section's rate ranks small and large firms fairly.
  const k = R.accidentRatePriorWorkers;
  const smoothedMultiple = rates && rates.sectionRate > 0 ? ((w.length + (k * rates.sectionRate) / 100) / (view.enrollment.enrolledOn(view.today) + k) / (rates.sectionRate / 100)) : 0;
  const byCount = w.length >= R.accidentCountThreshold || deaths > 0;
  const rateNote =
    rates && rates.sectionRate > 0
      ? `按参保人数计算的事故率为每百人 ${formatNumber(Math.round(rates.rate * 100) / 100)} 起，为本行业门类平均水平（每百人 ${formatNumber(Math.round(rates.sectionRate * 100) / 100)} 起）的 ${formatNumber(Math.round((rates.rate / rates.sectionRate) * 10) / 10, 1)} 倍${byCount ? '' : `，达到 ${formatNumber(R.accidentRateMultiple)} 倍的认定标准`}。`
      : '';
  const lastDay = w.reduce((m, a) => (a.day > m ? a.day : m), w[0].day);
  const problemEvidence = w.filter((a) => view.unrectified('emergency', a));
  return {
    rule: 'ACCIDENT_PRONE',
    since,
    evidence: w,
    severity: deaths > 0 ? 'CRITICAL' : 'HIGH',
    score: Math.round(Math.min(95, 60 + 5 * Math.max(0, w.length - 2) + (deaths > 0 ? 20 : 0) + Math.min(10, Math.max(0, smoothedMultiple - 1))) * 10) / 10,
    explanation:
      `近 ${R.accidentWindowDays} 日内该单位发生生产安全事故 ${w.length} 起，造成死亡 ${deaths} 人、重伤 ${serious} 人；最近一起发生于${cnDate(lastDay)}。` +
      rateNote +
      (late.length ? `其中 ${late.length} 起为迟报（发生后超过 ${R.accidentWindowDays} 日才报送），仍予计入。` : '') +
      '列为重点监控对象，建议应急管理部门开展执法检查并督促落实安全生产主体责任。',
    routedTo: ['emergency'],
    late: late.length > 0,
    problems: problemEvidence.length
      ? [{ rule: 'ACCIDENT_PRONE', department: 'emergency', key: 'accidents', evidence: problemEvidence, details: problemEvidence.map((a) => describeAccident(a.payload as never)) }]
      : [],
  };
}
