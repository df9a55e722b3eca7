import { HubError } from '../../shared/errors';
import { citizenIdProblem } from '../../shared/identifiers';

/**
 * Last line of defence: what people receive never carries a citizen ID number. The inputs are
 * built from pseudonymised data and carry none; if one slips in anyway we refuse to render
 * rather than send it out. An 18-character run of 17 digits + digit/X with a valid birth date
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
    if (findCitizenIds(t).length > 0) {
      throw new HubError(
        'BAD_REQUEST',
        `${where}含有疑似公民身份号码，拒绝生成 / ${where} contains what looks like a citizen ID number; refusing to render`,
        { where },
      );
    }
  }
}
