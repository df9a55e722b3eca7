import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sampleJointRecommendation, sampleNotice, sampleRecommendation } from '../../../test/fixtures/documents';
import { docxText, zipEntry } from '../../../test/docx';
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

  it('a recommendation carries number, title, addressee, every problem, deadline, legal basis, signature and date', async () => {
    const doc = sampleRecommendation();
    const text = docxText(await renderRecommendationDocx(doc));
    expect(text).toMatch(/宿卫职健建〔2026〕12号/);
    for (const s of [
      '宿迁市卫生健康委员会',
      '关于宿迁示例建材有限公司',
      '宿迁示例建材有限公司：',
      '一、存在的问题',
      '（一）危害因素浓（强）度超标（卫生健康委员会）',
      '1. 2026年11月3日 破碎车间岗位 矽尘 检测值 1.25 mg/m³，PC-TWA 限值 1 mg/m³，为限值的 1.3 倍。',
      '2. 2026年11月20日 包装岗位 噪声 检测值 92 dB(A)，8h-Leq 限值 85 dB(A)，为限值的 1.1 倍。（2026年11月28日补充列入，整改期限为2026年12月28日）',
      '二、整改要求',
      '（一）立即对破碎车间采取防尘降尘措施',
      '三、整改期限',
      '请你单位于2026年12月24日前完成上述问题的整改（其中另注整改期限的事项，按所注期限完成）',
      '四、法律依据',
      '《中华人民共和国职业病防治法》第十五条、第二十六条。',
      '2026年11月24日',
      '抄送：宿迁市人力资源和社会保障局、宿迁市应急管理局、宿城区卫生健康局。',
    ]) {
      expect(text).toContain(s);
    }
  });

  it('a joint letter (联合行文) names both organs in the 版头 and the 落款, the 主办机关 first, and groups problems by department', async () => {
    const docx = await renderRecommendationDocx(sampleJointRecommendation());
    const text = docxText(docx);
    const head = text.indexOf('宿迁市卫生健康委员会宿迁市人力资源和社会保障局宿工预建〔2026〕13号');
    expect(head).toBeGreaterThanOrEqual(0);
    expect(text).toContain('（一）危害因素浓（强）度超标（卫生健康委员会）');
    expect(text).toContain('（二）参保不足（人力资源和社会保障局）');
    expect(text).toContain('低于 90% 的要求。（已整改，2026年12月1日）');
    // 整改要求 per problem, each numbered within its problem.
    expect(text).toMatch(/二、整改要求（一）危害因素浓（强）度超标1\. 立即对破碎车间.*（二）参保不足1\. 依法为全部职工/);
    expect(text).toContain('《中华人民共和国职业病防治法》第十五条、第二十六条；《工伤保险条例》第二条、第十条。');
    // 落款: both organs, 主办 first, then the date; no 抄送 when every organ signs.
    expect(text).toMatch(/宿迁市卫生健康委员会宿迁市人力资源和社会保障局2026年11月24日宿迁市卫生健康委员会\s*2026年11月24日印发$/);
    expect(text).not.toContain('抄送');
    const xml = zipEntry(docx, 'word/document.xml');
    expect([...xml.matchAll(/<w:color w:val="FF0000"\/>/g)].length).toBe(2); // two red organ marks
  });

  it('falls back to the three statutes when no legal basis is given, and says 立即 without a deadline', async () => {
    const one = sampleRecommendation();
    const doc = { ...one, problems: [{ ...one.problems[0], legalBasis: [] }], deadline: null };
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
    const one = sampleRecommendation();
    const pseudonym = { ...one, problems: [{ ...one.problems[0], findings: [{ details: ['职工 psn_Zx81Qa 确诊尘肺'], notes: [], resolved: false }] }] };
    await expect(renderRecommendationDocx(pseudonym)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
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
    expect(text).toContain('于2026年12月24日前完成上述问题的整改');
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
