import { cnDate } from '../../shared/time';
import { inWindow } from '../facts';
import { Problem } from './types';
import { EmployerView } from './view';

/**
 * The training item of a PRIORITY letter (CONTRACT section 4, training coverage): a key-industry
 * employer that is PRIORITY and has had no training in the last 365 days is asked to train its
 * key-post staff. 人社 issues it; a training record from any department shows it done.
 */
export function keyPostTraining(view: EmployerView): Problem | null {
  if (!view.keyIndustry) return null;
  const W = view.region.rules.evidenceWindowDays;
  const trainings = view.byType('training');
  if (trainings.some((t) => inWindow(t, W, view.today))) return null;
  const last = trainings[trainings.length - 1];
  const record = view.headcountOn(view.today);
  return {
    rule: 'KEY_POST_TRAINING',
    department: 'hrss',
    key: 'training',
    evidence: [...(record ? [record.fact] : []), ...(last ? [last] : [])],
    details: [
      `该单位属重点行业（${view.industryCode}），列为重点单位，近 ${W} 日无工伤预防培训记录` +
        (last ? `（最近一次：${cnDate(last.payload.heldAt)}“${last.payload.courseName}”）` : '（无培训记录）'),
    ],
  };
}
