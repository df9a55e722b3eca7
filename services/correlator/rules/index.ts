import { accidentProne } from './accidentProne';
import { earlyPneumoconiosis } from './earlyPneumoconiosis';
import { hazardExceeded } from './hazardExceeded';
import { keyPostTraining } from './keyPostTraining';
import { priority } from './priority';
import { projectUninsured } from './projectUninsured';
import { typicalAccident } from './typicalAccident';
import { Finding, Rule } from './types';
import { underInsured } from './underInsured';
import { uninsured } from './uninsured';
import { EmployerView } from './view';

export type { Finding, Problem } from './types';
export { EmployerView } from './view';
export type { Cutoffs, RuleContext, SectionRates } from './view';

/** The rules that read an employer's facts alone, in the contract's order. */
const FACT_RULES: Rule[] = [hazardExceeded, accidentProne, uninsured, underInsured, projectUninsured, earlyPneumoconiosis, typicalAccident];

/**
 * Every rule of CONTRACT.md section 4 that depends on the facts of one day's view: the
 * fact rules, then PRIORITY over their findings (with the training item of a key-industry
 * employer that has not trained its key-post staff). OVERDUE also needs the recommendations
 * issued so far (rules/overdue.ts, composed by the history).
 */
export function evaluateRules(view: EmployerView): Finding[] {
  const findings = FACT_RULES.map((rule) => rule(view)).filter((f): f is Finding => !!f);
  const p = priority(findings);
  if (!p) return findings;
  const training = keyPostTraining(view);
  return [{ ...p, problems: training ? [training] : [] }, ...findings];
}
