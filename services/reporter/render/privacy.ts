import { HubError } from '../../shared/errors';
import { citizenIdProblem } from '../../shared/identifiers';
import { PSEUDONYM_PATTERN } from '../../shared/privacy';

/**
 * Last line of defence: what people receive never carries a citizen ID number, nor the pseudonym
 * (psn_…) the gateway replaced it with. The inputs are built from pseudonymised data and blank
 * both; if one slips in anyway we refuse to render rather than send it out. An 18-character run of 17 digits + digit/X with a valid birth date
 * and check digit counts as an ID (a USCC of that shape is practically impossible to collide).
 */
const ID_LIKE = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;

export function findCitizenIds(text: string): string[] {
  const hits: string[] = [];
  for (const m of text.matchAll(ID_LIKE)) {
    if (citizenIdProblem(m[0].toUpperCase()) === null) hits.push(m[0]);
  }
  return hits;
}

export function assertNoPersonalData(texts: Iterable<string | null | undefined>, where: string): void {
  for (const t of texts) {
    if (!t) continue;
    if (findCitizenIds(t).length > 0 || new RegExp(PSEUDONYM_PATTERN.source).test(t)) {
      throw new HubError(
        'BAD_REQUEST',
        `${where}含有疑似公民身份号码或人员化名编号，拒绝生成 / ${where} contains what looks like a citizen ID number or a person pseudonym; refusing to render`,
        { where },
      );
    }
  }
}
