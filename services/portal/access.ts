import { DEPARTMENTS, Department } from '../shared/contract';
import type { RuleId } from '../shared/catalog';
import { HubError } from '../shared/errors';

/**
 * Who reads what (CONTRACT.md section 3): hrss reads everything; other departments what is
 * routed to them; union the alerts of its supervisory rules and the notices. Pure, so the rules
 * are tested without HTTP.
 */
export type Scope =
  | { kind: 'ALL' }
  | { kind: 'ROUTED'; department: Department }
  | { kind: 'RULES'; rules: readonly RuleId[] }
  | { kind: 'NONE' };

const ALL: Scope = { kind: 'ALL' };

/** 总工会 supervises: it reads the alerts of these rules (and the notices). */
export const UNION_RULES: readonly RuleId[] = ['PRIORITY', 'TYPICAL_ACCIDENT', 'OVERDUE'];

export function alertScope(viewer: Department): Scope {
  if (viewer === 'hrss') return ALL;
  if (viewer === 'union') return { kind: 'RULES', rules: UNION_RULES };
  return { kind: 'ROUTED', department: viewer };
}

/** hrss reads every recommendation; union none; the others those addressed to them. */
export function recommendationScope(viewer: Department): Scope {
  if (viewer === 'hrss') return ALL;
  if (viewer === 'union') return { kind: 'NONE' };
  return { kind: 'ROUTED', department: viewer };
}

/** Notices (通报) are circulated to every department. */
export function mayReadNotices(_viewer: Department): boolean {
  return true;
}

/**
 * An employer's profile: hrss all of it; another department only while an alert or a
 * recommendation of that employer is routed to it, open or closed within this many days, and
 * then only its own facts (the query layer decides, it knows the rows).
 */
export const PROFILE_WINDOW_DAYS = 365;

export function seesEveryFact(viewer: Department): boolean {
  return viewer === 'hrss';
}

/** Ambiguous name matches are resolved at hrss (社保经办 keeps the employer register). */
export function mayReviewIdentities(viewer: Department): boolean {
  return viewer === 'hrss';
}

/** 403 in Chinese: `action` is what the department may not do (查看整改建议, 生成风险清单). */
export function forbidden(viewer: Department, action: string): HubError {
  return new HubError('FORBIDDEN', `${DEPARTMENTS[viewer]}无权${action}（见契约第 3 节）`, { department: viewer });
}
