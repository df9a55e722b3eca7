import { RULE_IDS, RULE_LABELS } from '../../../shared/catalog';

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
