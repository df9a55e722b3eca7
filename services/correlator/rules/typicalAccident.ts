import { isMajorAccident } from '../../shared/catalog';
import { cnDate } from '../../shared/time';
import { inWindow, windowOf } from '../facts';
import { Finding } from './types';
import { EmployerView } from './view';

/**
 * TYPICAL_ACCIDENT (the employer's part; clusters across employers are notices): an accident
 * with a death, or of 较大 grade or above, within the accident window. A late report still
 * raises it (迟报). To 应急管理 and 总工会, who circulate it.
 */
export function typicalAccident(view: EmployerView): Finding | null {
  const W = view.region.rules.accidentWindowDays;
  const typical = view.byType('accident').filter((a) => (Number(a.payload.deaths) >= 1 || isMajorAccident(a.payload)) && inWindow(a, W, view.today, true));
  if (!typical.length) return null;
  const late = typical.filter((a) => windowOf(a, W, true).late);
  const deaths = typical.reduce((s, a) => s + Number(a.payload.deaths), 0);
  return {
    rule: 'TYPICAL_ACCIDENT',
    since: typical[0].eventTime,
    evidence: typical,
    severity: 'CRITICAL',
    score: deaths > 0 ? 90 : 70,
    explanation:
      `该单位${cnDate(typical[0].eventTime)}起发生 ${typical.length} 起${deaths > 0 ? `造成 ${deaths} 人死亡的` : '较大及以上'}生产安全事故` +
      (late.length ? `（其中 ${late.length} 起为迟报，于${cnDate(late[0].knownDay)}报送）` : '') +
      '，符合典型事故通报条件，已生成通报稿。',
    routedTo: ['emergency', 'union'],
    late: late.length > 0,
    problems: [],
  };
}
