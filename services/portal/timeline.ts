import { accidentCategoryName } from '../shared/contract';

/**
 * One line of Chinese per fact for an employer's timeline. Built from a whitelist of fields
 * per event type: person identifiers (pseudonyms included) and free text never pass, since
 * persons are not the portal's business and free text may carry anything.
 */
type Payload = Record<string, unknown>;

/** Avro enum symbols back to the contract's spellings. */
const LIMIT_TYPE: Record<string, string> = { PC_TWA: 'PC-TWA', PC_STEL: 'PC-STEL', MAC: 'MAC', LEQ_8H: '8h-Leq' };

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, '').replace(/\.$/, ''));
const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const wan = (yuan: number): string => `${fmt(Math.round(yuan / 100) / 100)} 万元`;

function accidentCategory(p: Payload): string {
  const c = num(p.category);
  const standard = text(p.categoryStandard);
  if (standard === 'GB6441_2025' || standard === 'GB6441-2025') return `事故类别 ${c}（GB 6441-2025）`;
  return accidentCategoryName(c);
}

export function summarizeFact(eventType: string, p: Payload): string {
  switch (eventType) {
    case 'employer':
      return `单位登记：行业 ${text(p.industryCode) || '未填'}，职工 ${num(p.headcount)} 人（统计日期 ${text(p.asOf)}）`;
    case 'enrollment': {
      const what = p.action === 'TERMINATE' ? '停保' : '参保登记';
      const extras = [p.dustExposed === true ? '接尘岗位' : '', p.projectId ? `项目 ${text(p.projectId)}` : ''].filter(Boolean);
      return `${what} 1 人${extras.length ? `（${extras.join('，')}）` : ''}，生效日期 ${text(p.effectiveDate)}`;
    }
    case 'accident': {
      const casualties = [
        num(p.deaths) ? `死亡 ${num(p.deaths)} 人` : '',
        num(p.seriousInjuries) ? `重伤 ${num(p.seriousInjuries)} 人` : '',
        num(p.minorInjuries) ? `轻伤 ${num(p.minorInjuries)} 人` : '',
      ].filter(Boolean);
      const loss = num(p.directLossYuan) > 0 ? `，直接经济损失 ${wan(num(p.directLossYuan))}` : '';
      return `事故：${accidentCategory(p)}，${casualties.length ? casualties.join('、') : '无人员伤亡'}${loss}${p.projectId ? `（项目 ${text(p.projectId)}）` : ''}`;
    }
    case 'hazard': {
      const measured = num(p.measured);
      const limit = num(p.limit);
      const unit = text(p.unit);
      const verdict = measured > limit ? `超标 ${fmt(Math.round((measured / limit) * 100) / 100)} 倍` : '未超标';
      return `危害因素检测：${text(p.factor)}（岗位 ${text(p.post) || '未填'}），检测值 ${fmt(measured)} ${unit}，限值 ${fmt(limit)} ${unit}（${LIMIT_TYPE[text(p.limitType)] ?? text(p.limitType)}），${verdict}`;
    }
    case 'disease':
      return `职业病诊断：第 ${num(p.category)} 类 ${text(p.diseaseName)}，接害工龄 ${fmt(num(p.exposureYears))} 年`;
    case 'injury': {
      const decision = p.decision === 'RECOGNIZED' ? '认定为工伤' : '不予认定工伤';
      return `工伤认定：${decision}，受伤时${p.insuredAtInjury === false ? '未参保' : '已参保'}（认定日期 ${text(p.decidedAt)}）`;
    }
    case 'project': {
      const cert = text(p.insuranceCertificate).trim();
      return `工程项目：${text(p.projectName)}（${text(p.projectId)}），合同金额 ${wan(num(p.contractValueYuan))}，${cert ? `参保证明 ${cert}` : '未提交项目参保缴费证明'}`;
    }
    case 'rectification':
      return `整改复查：${p.result === 'PASSED' ? '合格' : '不合格'}（建议书 ${text(p.recommendationId)}）`;
    default:
      return `${eventType} 事件`;
  }
}

