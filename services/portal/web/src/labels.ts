import { PROBLEM_LABELS, RULE_IDS, RULE_LABELS } from '../../../shared/catalog';
import { DEPARTMENTS } from '../../../shared/contract';

/** Chinese labels for the filters: from the hub's one catalogue, never internal names on screen. */
export const RULE_OPTIONS = Object.fromEntries(RULE_IDS.map((r) => [r, { text: RULE_LABELS[r] }]));
export const CHANGE_OPTIONS = { NEW: { text: '新上榜' }, STILL_LISTED: { text: '持续在榜' }, REMOVED: { text: '本周移出' } };
export const RECOMMENDATION_TABS = [
  { key: 'OPEN', label: '整改中' },
  { key: 'OVERDUE', label: '已逾期' },
  { key: 'RECTIFIED', label: '已整改' },
  { key: 'ALL', label: '全部' },
];
export const pct = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)}%`);
export const dateTime = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');

/** A department's Chinese name (never its code on screen). */
export const departmentName = (d: string): string => (DEPARTMENTS as Record<string, string>)[d] ?? '其他部门';
/** A problem of a letter (回头看's 所涉问题) in Chinese. */
export const problemName = (r: string): string => (PROBLEM_LABELS as Record<string, string>)[r] ?? RULE_LABELS[r as keyof typeof RULE_LABELS] ?? '其他问题';
export const RATE_DIRECTIONS = { UP: { text: '上浮', color: 'red' }, DOWN: { text: '下浮', color: 'green' }, KEEP: { text: '不变', color: 'default' } } as const;
/** A 95% interval as "48.8%–80.8%". */
export const interval = (x: { low: number | null; high: number | null }): string => (x.low === null || x.high === null ? '—' : `${pct(x.low)}–${pct(x.high)}`);
export const lift = (x: number | null): string => (x === null ? '—' : `${x.toFixed(1)} 倍`);
