import { DEPARTMENTS, Department } from '../shared/contract';
import { HubError } from '../shared/errors';

/**
 * Who reads what (CONTRACT.md section 3): hrss reads everything; other departments read what is
 * routed to them; union reads alerts and notices. Pure, so the rules are tested without HTTP.
 */
export type Scope = { kind: 'ALL' } | { kind: 'ROUTED'; department: Department } | { kind: 'NONE' };

const ALL: Scope = { kind: 'ALL' };

/** hrss and union read every alert; the others the alerts routed to them. */
export function alertScope(viewer: Department): Scope {
  return viewer === 'hrss' || viewer === 'union' ? ALL : { kind: 'ROUTED', department: viewer };
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
 * An employer's profile and timeline: hrss, or a department with at least one alert of that
 * employer routed to it (it is already working on the employer). Decided by the query layer,
 * which knows the alerts; this only says whether the question needs asking.
 */
export function profileNeedsRoutedAlert(viewer: Department): boolean {
  return viewer !== 'hrss';
}

/** Ambiguous name matches are resolved at hrss (社保经办 keeps the employer register). */
export function mayReviewIdentities(viewer: Department): boolean {
  return viewer === 'hrss';
}

/** 403 in Chinese: `action` is what the department may not do (查看整改建议, 生成风险清单). */
export function forbidden(viewer: Department, action: string): HubError {
  return new HubError('FORBIDDEN', `${DEPARTMENTS[viewer]}无权${action}（见契约第 3 节）`, { department: viewer });
}
