import { formatNumber } from '../../shared/format';
import { cnDate } from '../../shared/time';
import { inWindow, windowOf } from '../facts';
import { Finding } from './types';
import { EmployerView } from './view';

/**
 * EARLY_PNEUMOCONIOSIS: a diagnosis of category 1 (职业性尘肺病及其他呼吸系统疾病) with fewer
 * than N years of exposure, within the evidence window; a diagnosis reported only after its
 * window had passed still raises the alert, marked 迟报. An alert to 卫生健康, no recommendation.
 */
export function earlyPneumoconiosis(view: EmployerView): Finding | null {
  const R = view.region.rules;
  const EV = R.evidenceWindowDays;
  const early = view.byType('disease').filter((d) => Number(d.payload.category) === 1 && Number(d.payload.exposureYears) < R.earlyPneumoconiosisYears);
  const now = early.filter((d) => inWindow(d, EV, view.today, true));
  if (!now.length) return null;
  const late = now.filter((d) => windowOf(d, EV, true).late);
  const minYears = Math.min(...now.map((f) => Number(f.payload.exposureYears)));
  const first = now.map((d) => windowOf(d, EV, true).from).sort()[0];
  return {
    rule: 'EARLY_PNEUMOCONIOSIS',
    since: first,
    evidence: now,
    severity: 'HIGH',
    score: 55 + 5 * Math.max(0, now.length - 1),
    explanation:
      `该单位近一年有 ${now.length} 例职业性尘肺病诊断的接尘工龄不足 ${formatNumber(R.earlyPneumoconiosisYears)} 年（最短 ${formatNumber(minYears)} 年）` +
      (late.length ? `，其中 ${late.length} 例为迟报（${late.map((d) => `${cnDate(d.payload.diagnosedAt)}确诊，${cnDate(d.knownDay)}报送`).join('；')}）` : '') +
      '，提示粉尘危害严重、防护措施失效，建议卫生健康部门开展专项检查。',
    routedTo: ['health'],
    late: late.length > 0,
    problems: [],
  };
}
