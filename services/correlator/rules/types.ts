import { Department } from '../../shared/contract';
import { ProblemRule, RuleId, Severity } from '../../shared/catalog';
import { Fact } from '../facts';

/**
 * What a rule says about an employer on one day: whether it is flagged, since when (event time),
 * on which evidence, how badly, in which words, to whom it goes, and which problems a
 * department must act on (the items of a recommendation).
 */
export interface Finding {
  rule: RuleId;
  /** Event time the condition became true: a day 'YYYY-MM-DD' or an instant. */
  since: string;
  evidence: Fact[];
  severity: Severity;
  score: number;
  /** Chinese, read aloud by a civil servant; depends on the evidence, never on the day it is read. */
  explanation: string;
  routedTo: Department[];
  /** Some evidence was reported after its rule's window had passed (迟报). */
  late: boolean;
  problems: Problem[];
}

/**
 * One thing a department must have rectified, as a recommendation lists it. `key` tells the
 * same problem apart from another of the same rule (a factor at a post, a project).
 */
export interface Problem {
  rule: ProblemRule;
  department: Department;
  key: string;
  evidence: Fact[];
  /** The finding in specifics: dates, posts, factors, measured against limit, counts. */
  details: string[];
}

export type Rule = (view: import('./view').EmployerView) => Finding | null;
