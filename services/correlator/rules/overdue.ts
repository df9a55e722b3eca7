import { Department } from '../../shared/contract';
import { cnDate, addDays } from '../../shared/time';
import { Fact, factKey } from '../facts';
import { RecState, isOpen } from '../recommendations';
import { exceeds, hazardEpisode, measurementKey } from './hazardExceeded';
import { Finding } from './types';
import { EmployerView } from './view';

const factorOf = (key: string) => key.split('|')[0];

/**
 * OVERDUE (未及时整改 → 依法严肃处理), to the enforcing department:
 * - a problem of a recommendation is past its deadline without a PASSED re-check (nor has it
 *   gone away); it stops counting once rectified, however late;
 * - a new measurement over the limit for the same factor, sampled after a recommendation's
 *   deadline, fires on its own, even after a PASSED re-check, while it is not itself rectified.
 */
export function overdue(view: EmployerView, recs: RecState[]): Finding | null {
  const t = view.today;
  const lines: string[] = [];
  const evidence: Fact[] = [];
  const routed = new Set<Department>();
  const starts: string[] = [];
  for (const rec of recs) {
    if (!isOpen(rec)) continue;
    const late = rec.items.filter((i) => i.status === 'OPEN' && i.deadline < t);
    if (!late.length) continue;
    const failed = rec.rechecks.filter((r) => r.result === 'FAILED');
    for (const i of late) {
      evidence.push(...i.evidence);
      routed.add(i.department);
      starts.push(addDays(i.deadline, 1));
    }
    evidence.push(...failed.map((r) => r.fact));
    const deadline = late.map((i) => i.deadline).sort()[0];
    lines.push(`${cnDate(rec.issuedOn)}下达的整改建议（整改期限 ${cnDate(deadline)}）${failed.length ? `经复查不合格（${cnDate(failed[failed.length - 1].verifiedAt)}）` : '逾期未报送整改情况'}`);
  }
  const episode = hazardEpisode(view);
  if (episode) {
    const open = [...episode.open.values()].flat();
    for (const rec of recs) {
      for (const item of rec.items.filter((i) => i.rule === 'HAZARD_EXCEEDED')) {
        const again = open.filter((f) => exceeds(f) && factorOf(measurementKey(f)) === factorOf(item.key) && f.day > item.deadline);
        if (!again.length) continue;
        evidence.push(...again);
        routed.add('health');
        starts.push(again[0].day);
        lines.push(`${cnDate(rec.issuedOn)}下达的整改建议（整改期限 ${cnDate(item.deadline)}）所涉${factorOf(item.key)}，期限后（${again.map((f) => cnDate(f.day)).join('、')}）再次检测超标`);
      }
    }
  }
  if (!lines.length) return null;
  const unique = [...new Map(evidence.map((f) => [factKey(f), f])).values()];
  return {
    rule: 'OVERDUE',
    since: starts.sort()[0],
    evidence: unique,
    severity: 'HIGH',
    score: 75 + 5 * (lines.length - 1),
    explanation: [...new Set(lines)].join('；') + '。属未及时整改，建议执法部门依法严肃处理。',
    routedTo: [...routed].sort(),
    late: false,
    problems: [],
  };
}
