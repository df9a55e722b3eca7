import { describeMeasurement, formatNumber } from '../../shared/format';
import { cnDate } from '../../shared/time';
import { Fact } from '../facts';
import { Finding, Problem } from './types';
import { EmployerView } from './view';

/** A factor at a post, as measurements name them (spelling variants of one post fold together). */
export const measurementKey = (f: Fact): string => `${String(f.payload.factor).normalize('NFKC').trim()}|${String(f.payload.post).normalize('NFKC').trim()}`;
export const exceeds = (f: Fact): boolean => Number(f.payload.measured) > Number(f.payload.limit);
const ratioOf = (f: Fact): number => Number(f.payload.measured) / Number(f.payload.limit);

/**
 * The current episode of exceedances: it starts with a measurement over its limit and lasts
 * until every factor/post it names has been re-measured within its limit. Measurements covered
 * by a PASSED re-check of 卫生健康 (sampled up to its date) are rectified and count no more.
 * Returns the exceeding measurements of the episode and which of their factor/posts are still open.
 */
export function hazardEpisode(view: EmployerView): { start: string; exceeding: Fact[]; open: Map<string, Fact[]> } | null {
  const samples = view.byType('hazard').filter((f) => view.unrectified('health', f));
  let episode: { start: string; exceeding: Fact[]; open: Map<string, Fact[]> } | null = null;
  for (const f of samples) {
    const key = measurementKey(f);
    if (exceeds(f)) {
      episode ??= { start: f.day, exceeding: [], open: new Map() };
      episode.exceeding.push(f);
      episode.open.set(key, [...(episode.open.get(key) ?? []), f]);
    } else if (episode?.open.has(key)) {
      // A within-limit re-measurement cures its factor/post; the episode ends when all are cured.
      episode.open.delete(key);
      if (episode.open.size === 0) episode = null;
    }
  }
  return episode;
}

/** HAZARD_EXCEEDED: a measurement over its GBZ 2.1/2.2 limit → 限期整改建议 via 卫生健康. */
export function hazardExceeded(view: EmployerView): Finding | null {
  const episode = hazardEpisode(view);
  if (!episode) return null;
  const worst = episode.exceeding.reduce((w, f) => (ratioOf(f) > ratioOf(w) ? f : w));
  const ratio = ratioOf(worst);
  const factors = [...new Set(episode.exceeding.map((f) => f.payload.factor))].join('、');
  const days = view.region.rules.hazardDeadlineDays;
  const problems: Problem[] = [...episode.open.entries()].map(([key, facts]) => ({
    rule: 'HAZARD_EXCEEDED',
    department: 'health',
    key,
    evidence: facts,
    details: facts.map((f) => describeMeasurement(f.payload as never)),
  }));
  return {
    rule: 'HAZARD_EXCEEDED',
    since: episode.start,
    evidence: episode.exceeding,
    severity: ratio >= 3 ? 'CRITICAL' : ratio >= 2 ? 'HIGH' : 'MEDIUM',
    score: Math.round((50 + Math.min(30, 10 * (ratio - 1))) * 10) / 10,
    explanation:
      `自${cnDate(episode.start)}起，该单位共有 ${episode.exceeding.length} 次职业病危害因素检测超标（${factors}），` +
      `其中 ${episode.open.size} 个岗位因素尚未复测合格。最严重的一次：${describeMeasurement(worst.payload as never)}。` +
      `建议卫生健康部门下达限期整改建议，${formatNumber(days)} 日内整改。`,
    routedTo: ['health'],
    late: false,
    problems,
  };
}
