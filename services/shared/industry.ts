/**
 * GB/T 4754-2017 国民经济行业分类: the 20 sections (门类), the divisions (大类, two digits)
 * each one holds, and the rule a code such as C3011 must follow. Pure data and functions: the
 * gateway validates codes with them, the reporter names sections with them.
 */

/** GB/T 4754-2017 门类. */
export const INDUSTRY_SECTIONS: Record<string, string> = {
  A: '农、林、牧、渔业',
  B: '采矿业',
  C: '制造业',
  D: '电力、热力、燃气及水生产和供应业',
  E: '建筑业',
  F: '批发和零售业',
  G: '交通运输、仓储和邮政业',
  H: '住宿和餐饮业',
  I: '信息传输、软件和信息技术服务业',
  J: '金融业',
  K: '房地产业',
  L: '租赁和商务服务业',
  M: '科学研究和技术服务业',
  N: '水利、环境和公共设施管理业',
  O: '居民服务、修理和其他服务业',
  P: '教育',
  Q: '卫生和社会工作',
  R: '文化、体育和娱乐业',
  S: '公共管理、社会保障和社会组织',
  T: '国际组织',
};

/** The divisions (大类) of each section, first and last. 97 divisions in all: T is 97 国际组织. */
export const SECTION_DIVISIONS: Record<string, readonly [number, number]> = {
  A: [1, 5],
  B: [6, 12],
  C: [13, 43],
  D: [44, 46],
  E: [47, 50],
  F: [51, 52],
  G: [53, 60],
  H: [61, 62],
  I: [63, 65],
  J: [66, 69],
  K: [70, 70],
  L: [71, 72],
  M: [73, 75],
  N: [76, 79],
  O: [80, 82],
  P: [83, 83],
  Q: [84, 85],
  R: [86, 90],
  S: [91, 96],
  T: [97, 97],
};

/** The section a division belongs to, or null when GB/T 4754-2017 has no such division. */
export function sectionOfDivision(division: number): string | null {
  for (const [section, [first, last]] of Object.entries(SECTION_DIVISIONS)) {
    if (division >= first && division <= last) return section;
  }
  return null;
}

const INDUSTRY_RE = /^[A-T](\d{2}|\d{3}|\d{4})?$/;

/**
 * null when `code` (upper case) is a GB/T 4754-2017 code: a section letter alone, or followed by
 * 2–4 digits whose first two are a division of that section; otherwise the Chinese reason.
 */
export function industryCodeProblem(code: string): string | null {
  if (!INDUSTRY_RE.test(code)) return `行业代码应为 GB/T 4754 门类字母加 2–4 位数字（如 C3011），实际为“${code}”`;
  if (code.length === 1) return null;
  const section = code[0];
  const digits = code.slice(1, 3);
  const owner = sectionOfDivision(Number(digits));
  if (!owner) return `行业代码 ${code} 的大类 ${digits} 不在 GB/T 4754-2017 中（大类为 01–97）`;
  if (owner !== section) return `行业代码 ${code} 的门类 ${section} 与大类 ${digits}（属 ${owner} ${INDUSTRY_SECTIONS[owner]}）不符`;
  return null;
}

/** 建筑业 for E: how documents name a section (门类); '有关行业' when unknown. */
export function sectionName(section: string | null | undefined): string {
  return (section && INDUSTRY_SECTIONS[section]) || '有关行业';
}
