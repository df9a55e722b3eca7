import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { sampleNotice, sampleRecommendation } from './fixtures';
import { findSoffice } from './libreoffice';
import {
  chineseDate,
  renderNoticeDocx,
  renderNoticePdf,
  renderRecommendationDocx,
  renderRecommendationPdf,
  titleLines,
} from './officialDocument';
import { findCitizenIds } from './privacy';

/** One entry of a zip (a DOCX), read with node's zlib alone. */
function zipEntry(zip: Buffer, name: string): string {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  let p = zip.readUInt32LE(eocd + 16);
  for (let e = zip.readUInt16LE(eocd + 10); e > 0; e--) {
    const nameLen = zip.readUInt16LE(p + 28);
    const entry = zip.toString('utf8', p + 46, p + 46 + nameLen);
    if (entry === name) {
      const local = zip.readUInt32LE(p + 42);
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + zip.readUInt32LE(p + 20));
      return (zip.readUInt16LE(p + 10) === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
    }
    p += 46 + nameLen + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  throw new Error(`no ${name} in zip`);
}

/** Visible text of a DOCX body: the w:t runs, in order. */
function docxText(docx: Buffer): string {
  return [...zipEntry(docx, 'word/document.xml').matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}

const hasTool = (t: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const canConvert = findSoffice() !== null && hasTool('pdftotext') && hasTool('pdftoppm');
const withLibreOffice = canConvert ? describe : describe.skip;

/** pdftotext puts spaces between CJK and digits; compare without whitespace. */
const squash = (s: string) => s.replace(/\s+/g, '');
const ID_LIKE = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whp-docs-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function pdfText(pdf: Buffer, name: string): string {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

describe('限期整改建议书 and 通报 as DOCX (GB/T 9704-2012 layout)', () => {
  it('writes the 成文日期 in Arabic numerals without leading zeros', () => {
    expect(chineseDate('2026-11-04')).toBe('2026年11月4日');
    expect(chineseDate('2026-01-24')).toBe('2026年1月24日');
  });

  it('breaks a long title into balanced lines instead of a full line and a stub', () => {
    const lines = titleLines('关于宿迁示例建材有限公司限期整改职业病危害问题的建议书', 18);
    expect(lines).toEqual(['关于宿迁示例建材有限公司', '限期整改职业病危害问题的建议书']);
    expect(titleLines('关于某公司的通报', 18)).toEqual(['关于某公司的通报']);
  });

  it('a recommendation carries number, title, addressee, findings, deadline, legal basis, signature and date', async () => {
    const doc = sampleRecommendation();
    const text = docxText(await renderRecommendationDocx(doc));
    expect(text).toMatch(/宿卫职健建〔2026〕12号/);
    for (const s of [
      '宿迁市卫生健康委员会',
      '关于宿迁示例建材有限公司',
      '宿迁示例建材有限公司：',
      '一、存在的问题',
      '二、整改要求',
      '（一）立即对破碎车间采取防尘降尘措施',
      '限期于2026年12月24日前完成整改并报送整改情况',
      '四、法律依据',
      '《中华人民共和国职业病防治法》第十五条、第二十六条；《中华人民共和国安全生产法》第四十五条；《工伤保险条例》第二条、第十条。',
      '2026年11月24日',
      '抄送：宿迁市人力资源和社会保障局、宿迁市应急管理局、宿城区卫生健康局。',
    ]) {
      expect(text).toContain(s);
    }
  });

  it('falls back to the statutes of the rule when no legal basis is given', async () => {
    const doc = { ...sampleRecommendation(), rule: 'PRIORITY' as const, legalBasis: [], deadline: null };
    const text = docxText(await renderRecommendationDocx(doc));
    expect(text).toContain('《中华人民共和国安全生产法》；《中华人民共和国职业病防治法》；《工伤保险条例》。');
    expect(text).toContain('请你单位立即整改');
  });

  it('is laid out on A4 with the standard margins, fonts, red 版头 and 28.95 pt lines', async () => {
    const docx = await renderRecommendationDocx(sampleRecommendation());
    const xml = zipEntry(docx, 'word/document.xml');
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(xml).toMatch(/w:top="2098"[^>]*w:right="1474"[^>]*w:bottom="1984"[^>]*w:left="1587"/);
    expect(xml).toContain('w:eastAsia="方正小标宋简体"');
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(xml).toContain('w:eastAsia="黑体"');
    expect(xml).toMatch(/<w:color w:val="FF0000"\/>/); // 发文机关标志
    expect(xml).toMatch(/<w:bottom w:val="single" w:color="FF0000"/); // 版头中的分隔线
    expect(xml).toContain('w:line="579" w:lineRule="exact"');
    const fonts = zipEntry(docx, 'word/fontTable.xml');
    expect(fonts).toContain('<w:font w:name="仿宋_GB2312"><w:altName w:val="Noto Serif CJK SC"/>');
    const footer = zipEntry(docx, 'word/footer1.xml') + zipEntry(docx, 'word/footer2.xml');
    expect(footer).toContain('— ');
    expect(footer).toContain('PAGE');
  });

  it('a notice carries its recipients, paragraphs and the table of entities', async () => {
    const text = docxText(await renderNoticeDocx(sampleNotice()));
    expect(text).toContain('宿迁市卫生健康委员会文件');
    expect(text).toContain('宿卫职健〔2026〕3号');
    expect(text).toContain('各县（区）卫生健康委（局）、市各有关单位：');
    expect(text).toContain('沭阳示例铸造有限公司');
    expect(text).toContain('依据：《中华人民共和国职业病防治法》第十五条、第二十五条；《工伤保险条例》第四条。');
    // The table follows the paragraph that introduces it.
    expect(text.indexOf('名单如下。')).toBeLessThan(text.indexOf('序号'));
    expect(text.indexOf('序号')).toBeLessThan(text.indexOf('二、工作要求'));
  });

  it('rendering the same document twice gives identical DOCX bytes', async () => {
    const a = await renderRecommendationDocx(sampleRecommendation());
    await new Promise((r) => setTimeout(r, 2100)); // zip times have 2-second resolution
    const b = await renderRecommendationDocx(sampleRecommendation());
    expect(b.equals(a)).toBe(true);
    const n1 = await renderNoticeDocx(sampleNotice());
    const n2 = await renderNoticeDocx(sampleNotice());
    expect(n2.equals(n1)).toBe(true);
    expect(zipEntry(a, 'docProps/core.xml')).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-24T00:00:00Z');
  });

  it('never contains an 18-digit citizen-ID-like number, and refuses input that carries one', async () => {
    for (const docx of [await renderRecommendationDocx(sampleRecommendation()), await renderNoticeDocx(sampleNotice())]) {
      expect(docxText(docx)).not.toMatch(ID_LIKE);
    }
    const leaky = { ...sampleNotice(), paragraphs: ['死者身份证号110101199003074477。'] };
    await expect(renderNoticeDocx(leaky)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

withLibreOffice('限期整改建议书 and 通报 as PDF (LibreOffice installed)', () => {
  let recPdf: Buffer;
  let noticePdf: Buffer;
  beforeAll(async () => {
    recPdf = await renderRecommendationPdf(sampleRecommendation());
    noticePdf = await renderNoticePdf(sampleNotice());
  }, 180_000);

  it('the recommendation PDF is an A4 document with the title, employer, number and date in its text', () => {
    expect(recPdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = squash(pdfText(recPdf, 'rec'));
    expect(text).toContain('关于宿迁示例建材有限公司限期整改职业病危害问题的建议书');
    expect(text).toContain('宿迁示例建材有限公司：');
    expect(text).toMatch(/〔2026〕12号/);
    expect(text).toContain('2026年11月24日');
    expect(text).toContain('限期于2026年12月24日前完成整改');
    expect(text).toContain('—1—');
    expect(text).not.toMatch(ID_LIKE);
    const info = execFileSync('pdfinfo', [path.join(dir, 'rec.pdf')], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
  });

  it('the notice PDF has the title, the entities of the table and the number', () => {
    const text = squash(pdfText(noticePdf, 'notice'));
    expect(text).toContain('关于2026年第三季度粉尘危害治理不达标责任主体名单的通报');
    expect(text).toContain('宿城示例石材加工厂');
    expect(text).toMatch(/〔2026〕3号/);
    expect(text).toContain('2026年11月24日');
  });

  it('rendering the same document twice gives the same PDF text', async () => {
    const again = await renderRecommendationPdf(sampleRecommendation());
    expect(pdfText(again, 'rec-again')).toBe(pdfText(recPdf, 'rec-once'));
  }, 120_000);

  it('a stock LibreOffice opens the DOCX, converts it to PDF and a page rasterises to PNG', async () => {
    const docxFile = path.join(dir, 'stock.docx');
    fs.writeFileSync(docxFile, await renderRecommendationDocx(sampleRecommendation()));
    execFileSync(
      findSoffice()!,
      [`-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, docxFile],
      { stdio: 'ignore', timeout: 120_000 },
    );
    const pdf = path.join(dir, 'stock.pdf');
    expect(fs.existsSync(pdf)).toBe(true);
    const text = squash(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }));
    expect(text).toContain('关于宿迁示例建材有限公司');
    expect(text).toContain('宿迁示例建材有限公司：');
    execFileSync('pdftoppm', ['-r', '60', '-f', '1', '-l', '1', '-png', pdf, path.join(dir, 'page')]);
    const png = fs.readdirSync(dir).find((f) => /^page-0*1\.png$/.test(f));
    expect(png).toBeDefined();
    const bytes = fs.readFileSync(path.join(dir, png!));
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(10_000); // a page with text, not a blank one
    expect(findCitizenIds(text)).toEqual([]);
  }, 180_000);
});
