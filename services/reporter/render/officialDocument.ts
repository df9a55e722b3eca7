import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  LineRuleType,
  PageNumber,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TabStopType,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type IBorderOptions,
  type ISpacingProperties,
} from 'docx';
import { HubError } from '../../shared/errors';
import { mergeLegalBasis } from '../../shared/catalog';
import type { NoticeDocument, ProblemFinding, RecommendationDocument } from '../model';
import { FONT_FALLBACKS, FONTS } from './fonts';
import { docxToPdf } from './libreoffice';
import { assertNoPersonalData } from './privacy';

/**
 * 限期整改建议书 and 通报 laid out after GB/T 9704-2012 党政机关公文格式.
 * Pure: document in, DOCX bytes out (the PDF goes through LibreOffice, see libreoffice.ts).
 *
 * The grid: A4, margins 37/35/28/26 mm, 版心 156 × 225 mm; 3号 (16 pt) body, 28 characters a
 * line, 22 lines a page. 22 lines in 225 mm is an exact line pitch of 28.95 pt; 28 characters
 * of 16 pt are 158 mm, so body runs are condensed by 0.25 pt (what Word's character grid does).
 */

// --- units ------------------------------------------------------------------------------------
const mm = (x: number): number => Math.round((x * 1440) / 25.4); // → twips
const pt = (x: number): number => Math.round(x * 20); // → twips
const LINE = 579; // 28.95 pt: 225 mm / 22 lines
const BODY_PT = 16; // 3号
const CHAR_SPACING = -5; // twentieths of a point: 16 pt − 0.25 pt → 28 characters in 156 mm
const CHAR = pt(BODY_PT) + CHAR_SPACING; // one body character, twips
const TEXT_WIDTH = mm(156);

// --- fonts: see fonts.ts ------------------------------------------------------------------
const font = (name: string) => ({ ascii: name, hAnsi: name, eastAsia: name, cs: name });

const RED = 'FF0000';
// Simplified Chinese, so the Noto CJK collections give SC glyph forms, not the JP ones.
const LANG = { value: 'zh-CN', eastAsia: 'zh-CN' };

// --- small helpers ----------------------------------------------------------------------------

/** 成文日期 in 阿拉伯数字, months and days without leading zeros: 2026年11月24日. */
export function chineseDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) throw new HubError('BAD_REQUEST', `日期格式错误 / bad date: ${iso}`, { value: iso });
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** Width of a text in body characters: CJK and full-width forms count 1, ASCII ½. */
function widthInChars(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) < 0x2e80 ? 0.5 : 1;
  return w;
}

const CN_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五'];
const cnNum = (i: number): string => CN_NUM[i] ?? String(i + 1);
const NUMBERED = /^\s*([（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.．、])/;
const HEADING = /^[一二三四五六七八九十]+、[^。；]{1,24}$/;

function ensureEnding(s: string): string {
  const t = s.trim();
  return /[。！？；：”）)]$/.test(t) ? t : `${t}。`;
}

/**
 * Splits a long title into balanced lines (the standard wants 梯形/菱形, not a full first line
 * and a stub), breaking where the words allow: after 的, 公司, 关于…, or at the middle.
 */
export function titleLines(title: string, charsPerLine: number): string[] {
  const chars = [...title];
  const n = chars.length;
  const lines = Math.ceil(widthInChars(title) / charsPerLine);
  if (lines <= 1) return [title];
  const out: string[] = [];
  let start = 0;
  for (let l = lines; l > 1; l--) {
    const ideal = start + Math.round((n - start) / l);
    let best = ideal;
    let bestScore = Infinity;
    for (let p = Math.max(start + 1, ideal - 4); p <= Math.min(n - 1, ideal + 4); p++) {
      if (p - start > charsPerLine) continue;
      const prev = chars[p - 1];
      const good = prev === '的' || prev === '于' || (prev === '司' && chars[p - 2] === '公') || prev === '厂';
      const score = Math.abs(p - ideal) - (good ? 3 : 0);
      if (score < bestScore) {
        bestScore = score;
        best = p;
      }
    }
    out.push(chars.slice(start, best).join(''));
    start = best;
  }
  out.push(chars.slice(start).join(''));
  return out;
}

// --- building blocks --------------------------------------------------------------------------

interface Run {
  text: string;
  font?: string;
  size?: number; // pt
  bold?: boolean;
  color?: string;
  spacing?: number;
}

function run(r: Run): TextRun {
  return new TextRun({
    text: r.text,
    font: font(r.font ?? FONTS.fangsong),
    size: (r.size ?? BODY_PT) * 2,
    bold: r.bold,
    color: r.color,
    characterSpacing: r.spacing ?? CHAR_SPACING,
    language: LANG,
  });
}

const exact = (line: number, before = 0, after = 0): ISpacingProperties => ({
  line,
  lineRule: LineRuleType.EXACT,
  before,
  after,
});

/** 正文 paragraph: 3号仿宋, first line indented two characters, lines wrap flush left. */
function bodyParagraph(text: string, opts: { heading?: boolean } = {}): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    spacing: exact(LINE),
    indent: { firstLine: 2 * CHAR },
    children: [run({ text, font: opts.heading ? FONTS.heiti : FONTS.fangsong })],
  });
}

function blankLine(): Paragraph {
  return new Paragraph({ spacing: exact(LINE), children: [run({ text: '' })] });
}

/**
 * 版头: 发文机关标志 (red 小标宋), 发文字号, and the red 分隔线 under it, all 版心 wide. A joint
 * letter (联合行文) names each organ on a line of its own, the 主办机关 first (GB/T 9704 7.2.1).
 */
function versionHead(organMarks: string[], documentNumber: string): Paragraph[] {
  // The mark fills at most the 版心 width; 下行文: its top edge 35 mm below the 版心's.
  const widest = Math.max(...organMarks.map(widthInChars));
  const size = Math.min(organMarks.length > 1 ? 36 : 52, Math.floor((156 / 25.4) * 72 / (widest + 1)));
  return [
    ...organMarks.map(
      (mark, i) =>
        new Paragraph({
          alignment: AlignmentType.CENTER,
          spacing: exact(pt(size * 1.25), i === 0 ? mm(35) - pt(size * 0.15) : 0),
          children: [run({ text: mark, font: FONTS.xiaobiaosong, size, bold: true, color: RED, spacing: 0 })],
        }),
    ),
    // 发文字号: two lines below the mark, centred; the separator 4 mm below it.
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: exact(LINE, 2 * LINE, 0),
      border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: RED, space: 11 } },
      children: [run({ text: documentNumber, spacing: 0 })],
    }),
  ];
}

/** 标题: two lines below the separator, 2号小标宋, centred, balanced lines. */
function titleBlock(title: string): Paragraph {
  const lines = titleLines(title, 18);
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: exact(pt(22 * 1.6), 2 * LINE - pt(11), LINE),
    children: lines.map(
      (l, i) =>
        new TextRun({
          text: l,
          break: i > 0 ? 1 : undefined,
          font: font(FONTS.xiaobiaosong),
          size: 44,
          bold: true,
          characterSpacing: 0,
          language: LANG,
        }),
    ),
  });
}

/** 主送机关: flush left, wraps flush left, full-width colon after the last name. */
function recipientLine(recipients: string[]): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.LEFT,
    spacing: exact(LINE),
    children: [run({ text: `${recipients.join('、')}：` })],
  });
}

/**
 * 署名 and 成文日期 of a document without a seal: the organ 右空二字 one line below the body,
 * the date on the next line starting two characters right of the organ's first character; when
 * the date is the longer, the date keeps 右空二字 and the organ moves left. A joint letter puts
 * the 主办机关 first and the other organs under it (GB/T 9704 7.3.5.2), aligned as one block.
 */
function signature(organs: string[], issuedAt: string): Paragraph[] {
  const date = chineseDate(issuedAt);
  const wo = Math.max(...organs.map(widthInChars));
  const wd = widthInChars(date);
  let organRight = 2;
  let dateRight = organRight + wo - 2 - wd;
  if (dateRight < 2) {
    dateRight = 2;
    organRight = dateRight + wd + 2 - wo;
  }
  const para = (text: string, right: number, before: number) =>
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      spacing: exact(LINE, before),
      indent: { right: Math.round(right * CHAR) },
      children: [run({ text })],
    });
  // Shorter organ names start where the longest starts: right-aligned with extra right indent.
  return [...organs.map((o, i) => para(o, organRight + (wo - widthInChars(o)), i === 0 ? LINE : 0)), para(date, dateRight, 0)];
}

/**
 * 版记: 抄送 and 印发 between full-width rules (thick first and last, thin between). The
 * standard puts it at the foot of the last page; it follows the 落款 after a blank line here,
 * because a bottom-anchored frame does not survive LibreOffice's import (it lands on a page of
 * its own, without its rules).
 */
function colophon(copyTo: string[], organ: string, issuedAt: string): Paragraph[] {
  const thick: IBorderOptions = { style: BorderStyle.SINGLE, size: 8, color: '000000', space: 1 }; // ≈0.35 mm
  const thin: IBorderOptions = { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 }; // ≈0.25 mm
  const size = 14; // 4号仿宋
  const ch = pt(size);
  const out: Paragraph[] = [new Paragraph({ spacing: exact(LINE), children: [] })];
  if (copyTo.length) {
    out.push(
      new Paragraph({
        spacing: exact(pt(size * 1.6)),
        indent: { left: ch + 3 * ch, hanging: 3 * ch, right: ch }, // 左右各空一字; wraps under the first name
        border: { top: thick, bottom: thin },
        children: [run({ text: `抄送：${copyTo.join('、')}。`, size, spacing: 0 })],
      }),
    );
  }
  out.push(
    new Paragraph({
      spacing: exact(pt(size * 1.6)),
      indent: { left: ch, right: ch },
      tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH - 2 * ch }],
      border: copyTo.length ? { bottom: thick } : { top: thick, bottom: thick },
      children: [run({ text: `${organ}\t${chineseDate(issuedAt)}印发`, size, spacing: 0 })],
    }),
  );
  return out;
}

/** 页码: “— 1 —”, 4号 半角 宋体, 一字线 7 mm below the 版心; odd pages 右空一字, even 左空一字. */
function pageFooter(even: boolean): Footer {
  const ch = pt(14);
  return new Footer({
    children: [
      new Paragraph({
        alignment: even ? AlignmentType.LEFT : AlignmentType.RIGHT,
        indent: even ? { left: ch } : { right: ch },
        spacing: exact(pt(16)),
        children: [
          new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: font(FONTS.songti), size: 28, language: LANG }),
        ],
      }),
    ],
  });
}

const TABLE_PT = 12; // 小四: a six-column list fits the 版心 without breaking names

function table(t: { headers: string[]; rows: string[][] }): Table {
  const cols = t.headers.length;
  // Column widths follow the longest text in each column, within the 版心 width.
  const want = t.headers.map((h, c) =>
    // +1: Noto's digits are wider than half an em, and a character of slack keeps dates on one line.
    Math.min(14, 1 + Math.max(2, widthInChars(h), ...t.rows.map((r) => widthInChars(r[c] ?? '')))),
  );
  const total = want.reduce((a, b) => a + b, 0);
  const pad = 120;
  const base = want.map((w) => w * pt(TABLE_PT) + pad);
  const extra = TEXT_WIDTH - base.reduce((a, b) => a + b, 0);
  const widths =
    extra >= 0
      ? base.map((b, i) => Math.floor(b + (extra * want[i]) / total))
      : want.map((w) => Math.floor((w / total) * TEXT_WIDTH));
  const border: IBorderOptions = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const cell = (text: string, c: number, header: boolean) =>
    new TableCell({
      width: { size: widths[c], type: WidthType.DXA },
      verticalAlign: VerticalAlignTable.CENTER,
      margins: { left: pad / 2, right: pad / 2, top: 30, bottom: 30 },
      children: [
        new Paragraph({
          alignment: header || widthInChars(text) <= 4 ? AlignmentType.CENTER : AlignmentType.LEFT,
          spacing: exact(pt(18)),
          children: [run({ text, size: TABLE_PT, font: header ? FONTS.heiti : FONTS.fangsong, spacing: 0 })],
        }),
      ],
    });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows: [
      new TableRow({ tableHeader: true, children: t.headers.map((h, c) => cell(h, c, true)) }),
      ...t.rows.map((r) => new TableRow({ cantSplit: true, children: Array.from({ length: cols }, (_, c) => cell(r[c] ?? '', c, false)) })),
    ],
  });
}

// --- the document shell -----------------------------------------------------------------------

interface Shell {
  title: string;
  subject: string;
  issuedAt: string;
  organ: string;
  children: (Paragraph | Table)[];
}

function coreXml(s: Shell): string {
  const esc = (x: string) => x.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // Created/modified = the 成文日期, so the same document is the same bytes whenever it is rendered.
  const when = `${s.issuedAt.slice(0, 10)}T00:00:00Z`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${esc(s.title)}</dc:title><dc:subject>${esc(s.subject)}</dc:subject>` +
    `<dc:creator>${esc(s.organ)}</dc:creator><cp:lastModifiedBy>WHP Hub</cp:lastModifiedBy><cp:revision>1</cp:revision>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

/** fontTable.xml naming a free CJK alternative for each standard font (w:altName). */
function fontTableXml(): string {
  const fonts = Object.entries(FONT_FALLBACKS)
    .map(
      ([name, f]) =>
        `<w:font w:name="${name}"><w:altName w:val="${f.alt}"/><w:charset w:val="86"/>` +
        `<w:family w:val="${f.family}"/><w:pitch w:val="variable"/></w:font>`,
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
    fonts +
    '<w:font w:name="Noto Serif CJK SC"><w:charset w:val="86"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>' +
    '<w:font w:name="Noto Sans CJK SC"><w:charset w:val="86"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>' +
    '</w:fonts>'
  );
}

/**
 * Zip entries carry their packing time; set every entry's DOS date/time to the 成文日期 so
 * rendering the same document twice gives the same bytes.
 */
export function pinZipTimestamps(zip: Buffer, isoDate: string): Buffer {
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
  const dosDate = ((y - 1980) << 9) | (m << 5) | d;
  const out = Buffer.from(zip);
  let eocd = -1;
  for (let i = out.length - 22; i >= Math.max(0, out.length - 22 - 65535); i--) {
    if (out.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new HubError('INTERNAL', 'DOCX 打包结果不是 zip / DOCX output is not a zip');
  const entries = out.readUInt16LE(eocd + 10);
  let p = out.readUInt32LE(eocd + 16);
  for (let e = 0; e < entries; e++) {
    if (out.readUInt32LE(p) !== 0x02014b50) throw new HubError('INTERNAL', 'zip 中央目录损坏 / bad zip central directory');
    out.writeUInt16LE(0, p + 12);
    out.writeUInt16LE(dosDate, p + 14);
    const local = out.readUInt32LE(p + 42);
    out.writeUInt16LE(0, local + 10);
    out.writeUInt16LE(dosDate, local + 12);
    p += 46 + out.readUInt16LE(p + 28) + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  return out;
}

async function pack(s: Shell): Promise<Buffer> {
  const doc = new Document({
    title: s.title,
    subject: s.subject,
    creator: s.organ,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: font(FONTS.fangsong), size: BODY_PT * 2 },
          paragraph: { spacing: exact(LINE) },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: mm(210), height: mm(297) },
            margin: { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26), header: mm(15), footer: mm(23), gutter: 0 },
          },
          grid: { linePitch: LINE },
        },
        footers: { default: pageFooter(false), even: pageFooter(true) },
        children: s.children,
      },
    ],
  });
  const overrides = [
    { path: 'docProps/core.xml', data: coreXml(s) },
    { path: 'word/fontTable.xml', data: fontTableXml() },
  ];
  const zip = await Packer.toBuffer(doc, false, overrides);
  return pinZipTimestamps(Buffer.from(zip), s.issuedAt);
}

// --- 限期整改建议书 ---------------------------------------------------------------------------

const GENERAL_BASIS = ['《中华人民共和国安全生产法》', '《中华人民共和国职业病防治法》', '《工伤保险条例》'];

/** 二级标题: （一）…, 楷体 (GB/T 9704 7.3.3). */
function subheading(text: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    spacing: exact(LINE),
    indent: { firstLine: 2 * CHAR },
    children: [run({ text, font: FONTS.kaiti })],
  });
}

function recommendationTexts(doc: RecommendationDocument): string[] {
  return [
    doc.title,
    doc.recipient,
    ...doc.issuingOrgans,
    doc.documentNumber,
    ...doc.problems.flatMap((p) => [p.label, p.department, ...p.findings.flatMap((f) => [...f.details, ...f.notes]), ...p.requirements, ...p.legalBasis]),
    ...doc.copyTo,
  ];
}

/** One problem: its specifics as one sentence, what became of it in brackets after. */
function findingText(f: ProblemFinding): string {
  const details = f.details.map((d) => d.trim().replace(/[。；;，,]+$/, '')).filter(Boolean);
  const sentence = details.length ? ensureEnding(details.join('；')) : '';
  return sentence + (f.notes.length ? `（${f.notes.join('；')}）` : '');
}

export function recommendationChildren(doc: RecommendationDocument): (Paragraph | Table)[] {
  const who = doc.uscc ? `你单位（统一社会信用代码：${doc.uscc}）` : '你单位';
  const sections = doc.problems;
  const several = sections.length > 1;
  const basis = mergeLegalBasis(sections.flatMap((s) => s.legalBasis));
  const also = doc.laterDeadlines ? '（其中另注整改期限的事项，按所注期限完成）' : '';
  const deadline = doc.deadline
    ? `请你单位于${chineseDate(doc.deadline)}前完成上述问题的整改${also}，并向发文机关报送整改情况、申请复查。逾期未完成整改的，将依法予以处理。`
    : '请你单位立即整改，并及时报送整改情况。逾期未完成整改的，将依法予以处理。';
  let h = 0;
  const heading = (t: string) => bodyParagraph(`${cnNum(h++)}、${t}`, { heading: true });
  const out: (Paragraph | Table)[] = [
    recipientLine([doc.recipient]),
    // The code opens the paragraph: an unbreakable 18-character code in mid-line would stretch
    // the justified line before it into wide gaps.
    bodyParagraph(
      `${who}经工伤预防工作联席会议成员单位共享监测数据关联核查，存在下列问题。依据有关法律法规，现提出限期整改建议如下。`,
    ),
    heading('存在的问题'),
  ];
  sections.forEach((s, i) => {
    out.push(subheading(`（${cnNum(i)}）${s.label}（${s.department}）`));
    s.findings.forEach((f, j) => out.push(bodyParagraph(s.findings.length > 1 ? `${j + 1}. ${findingText(f)}` : findingText(f))));
  });
  out.push(heading('整改要求'));
  if (several) {
    sections.forEach((s, i) => {
      out.push(subheading(`（${cnNum(i)}）${s.label}`));
      s.requirements.forEach((r, j) => out.push(bodyParagraph(`${j + 1}. ${ensureEnding(r)}`)));
    });
  } else {
    (sections[0]?.requirements ?? []).forEach((r, i) => out.push(bodyParagraph(NUMBERED.test(r) ? ensureEnding(r) : `（${cnNum(i)}）${ensureEnding(r)}`)));
  }
  out.push(heading('整改期限'), bodyParagraph(deadline), heading('法律依据'), bodyParagraph(`${(basis.length ? basis : GENERAL_BASIS).join('；')}。`));
  return out;
}

export async function renderRecommendationDocx(doc: RecommendationDocument): Promise<Buffer> {
  assertNoPersonalData(recommendationTexts(doc), '限期整改建议书');
  const lead = doc.issuingOrgans[0];
  return pack({
    title: doc.title,
    subject: `限期整改建议书 ${doc.documentNumber}`,
    issuedAt: doc.issuedAt,
    organ: doc.issuingOrgans.join('、'),
    children: [
      ...versionHead(doc.issuingOrgans, doc.documentNumber),
      titleBlock(doc.title),
      ...recommendationChildren(doc),
      ...signature(doc.issuingOrgans, doc.issuedAt),
      ...colophon(doc.copyTo, lead, doc.issuedAt),
    ],
  });
}

// --- 通报 -------------------------------------------------------------------------------------

function noticeTexts(doc: NoticeDocument): string[] {
  return [
    doc.title,
    doc.issuingOrgan,
    doc.documentNumber,
    ...doc.recipients,
    ...doc.paragraphs,
    ...doc.legalBasis,
    ...(doc.table ? [...doc.table.headers, ...doc.table.rows.flat()] : []),
  ];
}

export async function renderNoticeDocx(doc: NoticeDocument): Promise<Buffer> {
  assertNoPersonalData(noticeTexts(doc), '通报');
  const body: (Paragraph | Table)[] = [];
  let tablePlaced = false;
  const placeTable = () => {
    if (doc.table && !tablePlaced) {
      body.push(table(doc.table), blankLine());
      tablePlaced = true;
    }
  };
  for (const p of doc.paragraphs) {
    const isHeading = HEADING.test(p.trim());
    body.push(bodyParagraph(p.trim(), { heading: isHeading }));
    // The list of entities goes right after the paragraph that introduces it (…如下：/…名单如下。).
    if (!isHeading && /如下[：:。]?$/.test(p.trim())) placeTable();
  }
  placeTable();
  if (doc.legalBasis.length) {
    body.push(bodyParagraph(`依据：${doc.legalBasis.map((b) => b.trim().replace(/[。；;，,]+$/, '')).join('；')}。`));
  }
  return pack({
    title: doc.title,
    subject: `通报 ${doc.documentNumber}`,
    issuedAt: doc.issuedAt,
    organ: doc.issuingOrgan,
    children: [
      ...versionHead([`${doc.issuingOrgan}文件`], doc.documentNumber),
      titleBlock(doc.title),
      recipientLine(doc.recipients),
      ...body,
      ...signature([doc.issuingOrgan], doc.issuedAt),
      ...colophon([], doc.issuingOrgan, doc.issuedAt),
    ],
  });
}

// --- PDF --------------------------------------------------------------------------------------

export async function renderRecommendationPdf(doc: RecommendationDocument): Promise<Buffer> {
  return docxToPdf(await renderRecommendationDocx(doc), `recommendation-${doc.recommendationId}`);
}

export async function renderNoticePdf(doc: NoticeDocument): Promise<Buffer> {
  return docxToPdf(await renderNoticeDocx(doc), `notice-${doc.noticeId}`);
}
