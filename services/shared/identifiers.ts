import crypto from 'node:crypto';

/**
 * National identifier rules. Pure functions: each returns null when the value is valid, or the
 * Chinese reason it is not.
 */

// GB 32100-2015 统一社会信用代码: 31-character alphabet without I, O, S, V, Z.
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

export function usccProblem(uscc: string): string | null {
  if (uscc.length !== 18) return `统一社会信用代码应为 18 位，实际为 ${uscc.length} 位`;
  for (const ch of uscc) {
    if (!USCC_ALPHABET.includes(ch)) return `统一社会信用代码含非法字符“${ch}”（不使用 I、O、S、V、Z）`;
  }
  if (!/^\d{6}$/.test(uscc.slice(2, 8))) return '统一社会信用代码第 3–8 位应为行政区划码';
  const expected = usccCheckChar(uscc.slice(0, 17));
  if (uscc[17] !== expected) return `统一社会信用代码校验位错误（应为 ${expected}，实际为 ${uscc[17]}）`;
  return null;
}

// GB 11643-1999 公民身份号码: 17 digits + check (0–9 or X), birth date in positions 7–14.
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export function citizenIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

export function citizenIdProblem(id: string, today: Date = new Date()): string | null {
  if (!/^\d{17}[\dX]$/.test(id)) return '身份证号应为 18 位（前 17 位数字，末位数字或 X）';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) {
    return '身份证号中的出生日期无效';
  }
  if (birth.getTime() > today.getTime()) return '身份证号中的出生日期晚于今天';
  const expected = citizenIdCheckChar(id.slice(0, 17));
  if (id[17] !== expected) return `身份证号校验位错误（应为 ${expected}）`;
  return null;
}

// GB/T 2260 行政区划代码: six digits whose first two are a province-level code.
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62,
  63, 64, 65, 71, 81, 82,
]);

export function regionCodeProblem(code: string): string | null {
  if (!/^\d{6}$/.test(code)) return '行政区划代码应为 6 位数字（GB/T 2260）';
  if (!PROVINCES.has(Number(code.slice(0, 2)))) return `行政区划代码前两位 ${code.slice(0, 2)} 不是省级代码`;
  return null;
}

/**
 * The keyed pseudonym that replaces a citizen ID number at the ingest boundary. Same person,
 * same key → same pseudonym, so records still join; without the key it cannot be reversed.
 */
export function pseudonymize(citizenId: string, key: string): string {
  const mac = crypto.createHmac('sha256', key).update(citizenId.trim().toUpperCase()).digest('base64url');
  return `psn_${mac.slice(0, 32)}`;
}

/** Name normalisation for employer identity: width, brackets, spaces, company-form variants. */
export function normalizeEmployerName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[（【\[]/g, '(')
    .replace(/[）】\]]/g, ')')
    .replace(/有限责任公司/g, '有限公司')
    .replace(/股份有限公司/g, '股份公司')
    .toUpperCase();
}

/** Kafka key and identity of an employer: the USCC, or region + normalised name when absent. */
export function employerKey(uscc: string | null | undefined, name: string | null | undefined, regionCode: string): string {
  if (uscc) return uscc;
  return `N:${regionCode}:${normalizeEmployerName(name ?? '')}`;
}
