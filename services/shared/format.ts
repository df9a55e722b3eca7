import { accidentCategoryName } from './contract';
import { cnDate } from './time';

/**
 * Figures as documents and explanations write them: numbers without trailing zeros, money in
 * 万元, limits with their type, an accident in one phrase. Pure, shared by every service.
 */
export function formatNumber(n: number, digits = 2): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return String(n);
  return n.toFixed(digits).replace(/0+$/, '').replace(/\.$/, '');
}

/** 12500000 → 1250 万元; under 10,000 yuan in 元. */
export function formatMoney(yuan: number): string {
  return yuan >= 10_000 ? `${formatNumber(Math.round(yuan / 100) / 100)} 万元` : `${formatNumber(yuan)} 元`;
}

export function formatPercent(ratio: number): string {
  return `${formatNumber(Math.round(ratio * 1000) / 10, 1)}%`;
}

/** Avro enum symbols back to the contract's spellings. */
export const LIMIT_TYPE_LABELS: Record<string, string> = { PC_TWA: 'PC-TWA', PC_STEL: 'PC-STEL', MAC: 'MAC', LEQ_8H: '8h-Leq' };

interface HazardPayload {
  sampledAt: string;
  post: string;
  factor: string;
  measured: number;
  limit: number;
  unit: string;
  limitType: string;
}

/** 2026年3月10日 破碎岗位 矽尘 检测值 2.6 mg/m³，PC-TWA 限值 1 mg/m³，为限值的 2.6 倍 */
export function describeMeasurement(p: HazardPayload): string {
  const ratio = Number(p.measured) / Number(p.limit);
  return (
    `${cnDate(p.sampledAt)} ${p.post}岗位 ${p.factor} 检测值 ${formatNumber(Number(p.measured))} ${p.unit}，` +
    `${LIMIT_TYPE_LABELS[p.limitType] ?? p.limitType} 限值 ${formatNumber(Number(p.limit))} ${p.unit}` +
    (ratio > 1 ? `，为限值的 ${formatNumber(Math.round(ratio * 10) / 10, 1)} 倍` : '，未超标')
  );
}

interface AccidentPayload {
  occurredAt: string;
  category: number;
  deaths: number;
  seriousInjuries: number;
  minorInjuries: number;
  directLossYuan: number;
}

/** 2026年3月1日 机械伤害事故，死亡 0 人、重伤 1 人、轻伤 0 人，直接经济损失 5 万元 */
export function describeAccident(p: AccidentPayload): string {
  return (
    `${cnDate(p.occurredAt)} ${accidentCategoryName(Number(p.category))}事故，` +
    `死亡 ${p.deaths ?? 0} 人、重伤 ${p.seriousInjuries ?? 0} 人、轻伤 ${p.minorInjuries ?? 0} 人` +
    (Number(p.directLossYuan) > 0 ? `，直接经济损失 ${formatMoney(Number(p.directLossYuan))}` : '')
  );
}
