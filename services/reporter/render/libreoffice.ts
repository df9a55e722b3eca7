import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { HubError } from '../../shared/errors';
import { FONT_FALLBACKS } from './fonts';

/**
 * DOCX → PDF with LibreOffice headless.
 *
 * Why LibreOffice and not pdfkit: the DOCX is the document departments edit and sign, so the
 * PDF must look exactly like it. Converting the DOCX keeps one layout (one place where the
 * GB/T 9704 grid, CJK line breaking, tables and odd/even page numbers are defined); pdfkit
 * would be a second typesetter to keep in step, and it does no CJK line breaking or tables.
 * The cost is a system package (libreoffice-writer-nogui, installed by
 * scripts/ensure-system-packages.sh) and ~1–3 s per document, which suits documents made
 * one at a time.
 *
 * Conversions in one process are serialised: a LibreOffice user profile can't be shared by two
 * running instances, and the machine is small. Each process uses its own profile directory.
 */

const run = promisify(execFile);

const MISSING_LO =
  '未安装 LibreOffice，无法生成 PDF：请运行 scripts/ensure-system-packages.sh（Debian 软件包 libreoffice-writer-nogui）' +
  ' / LibreOffice is not installed, cannot render PDF: run scripts/ensure-system-packages.sh (Debian package libreoffice-writer-nogui)';
const MISSING_FONTS =
  '未安装中文字体，PDF 中的汉字无法显示：请运行 scripts/ensure-system-packages.sh（Debian 软件包 fonts-noto-cjk）' +
  ' / no CJK font installed, Chinese text cannot be rendered: run scripts/ensure-system-packages.sh (Debian package fonts-noto-cjk)';

const SOFFICE_CANDIDATES = ['/usr/bin/soffice', '/usr/lib/libreoffice/program/soffice', '/opt/libreoffice/program/soffice'];

export function findSoffice(): string | null {
  const fromEnv = process.env.WHP_SOFFICE;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : null;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, 'soffice');
    if (dir && fs.existsSync(p)) return p;
  }
  return SOFFICE_CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

let fontsChecked: Promise<void> | null = null;
/** The free CJK faces the documents fall back to must be there, or the PDF shows boxes. */
function checkFonts(): Promise<void> {
  fontsChecked ??= run('fc-list', [':lang=zh', 'family'], { maxBuffer: 4 << 20 }).then(
    ({ stdout }) => {
      const families = stdout;
      const ok = ['Noto Serif CJK SC', ...Object.keys(FONT_FALLBACKS)].some((f) => families.includes(f));
      if (!ok) throw new HubError('DEPENDENCY_UNAVAILABLE', MISSING_FONTS, { package: 'fonts-noto-cjk' });
    },
    () => {
      throw new HubError('DEPENDENCY_UNAVAILABLE', MISSING_FONTS, { package: 'fonts-noto-cjk' });
    },
  );
  return fontsChecked;
}

/**
 * fontconfig for our soffice only: where the standard's fonts (方正小标宋简体, 仿宋_GB2312, 黑体…)
 * are not installed, use the Noto CJK face fontTable.xml names; where they are, they win.
 */
export function fontconfigXml(): string {
  const aliases = Object.entries(FONT_FALLBACKS)
    .map(([name, f]) => `  <alias binding="same"><family>${name}</family><accept><family>${f.alt}</family></accept></alias>`)
    .join('\n');
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
${aliases}
</fontconfig>
`;
}

let profileDir: string | null = null;
function profile(): string {
  if (!profileDir) {
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), `whp-lo-profile-${process.pid}-`));
    fs.writeFileSync(path.join(profileDir, 'fonts.conf'), fontconfigXml());
    const dir = profileDir;
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return profileDir;
}

let queue: Promise<unknown> = Promise.resolve();

/** Converts a DOCX to PDF (or another format LibreOffice exports, e.g. 'png'). */
export function convertWithLibreOffice(input: Buffer, name: string, to = 'pdf'): Promise<Buffer> {
  const job = queue.then(() => convertNow(input, name, to));
  queue = job.catch(() => undefined);
  return job;
}

export function docxToPdf(docx: Buffer, name: string): Promise<Buffer> {
  return convertWithLibreOffice(docx, name, 'pdf');
}

async function convertNow(input: Buffer, name: string, to: string): Promise<Buffer> {
  const soffice = findSoffice();
  if (!soffice) throw new HubError('DEPENDENCY_UNAVAILABLE', MISSING_LO, { package: 'libreoffice-writer-nogui' });
  await checkFonts();
  const prof = profile();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'whp-lo-job-'));
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_') || 'document';
  const src = path.join(work, `${safe}.docx`);
  try {
    fs.writeFileSync(src, input);
    try {
      await run(
        soffice,
        [
          `-env:UserInstallation=file://${path.join(prof, 'user')}`,
          '--headless',
          '--norestore',
          '--nolockcheck',
          '--nodefault',
          '--convert-to',
          to,
          '--outdir',
          work,
          src,
        ],
        { timeout: 180_000, env: { ...process.env, FONTCONFIG_FILE: path.join(prof, 'fonts.conf') } },
      );
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new HubError('DEPENDENCY_UNAVAILABLE', `LibreOffice 转换失败 / LibreOffice conversion failed: ${e.stderr || e.message}`);
    }
    const out = path.join(work, `${safe}.${to.split(':')[0]}`);
    if (!fs.existsSync(out)) {
      throw new HubError('DEPENDENCY_UNAVAILABLE', `LibreOffice 未生成 ${to} 文件 / LibreOffice produced no ${to} output`);
    }
    return fs.readFileSync(out);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
