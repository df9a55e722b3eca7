import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Department, EventType } from '../../services/shared/contract';
import { publishFile } from '../../services/ingest-gateway/client';
import { UPLOAD_ORDER } from './columns';
import { formatTable } from './table';
import { CITY_FILES } from './writers';

/**
 * Publishes a generated city through the ingest gateway, department by department, in the order
 * the hub needs them (employers before the facts about them). Usage:
 *
 *   npx tsx scripts/city/publish.ts --dir out/city [--gateway http://127.0.0.1:8080] [--format csv|xlsx]
 */

export interface FilePublished {
  dept: Department;
  type: EventType;
  file: string;
  /** Data rows in the file, from the manifest (when there is one). */
  rows?: number;
  accepted: number;
  /** Of the accepted, corrections of records sent before (更正). */
  corrected: number;
  duplicates: number;
  rejected: number;
  /** What the manifest says this file should have had rejected (planted dirty rows). */
  expectedRejections?: number;
  topReasons: { reason: string; count: number }[];
  /** The gateway refused the whole file (401/403/413/400…) or could not be reached. */
  error?: string;
}

export interface FileEvent {
  dept: Department;
  type: EventType;
  file: string;
  stage: 'start' | 'progress' | 'done';
  sentBytes?: number;
  totalBytes?: number;
  result?: FilePublished;
}

export interface PublishCityOptions {
  dir: string;
  gatewayUrl: string;
  tokenFor?: (dept: Department) => string;
  onFile?: (e: FileEvent) => void;
  /** Which of a department's files to send when both exist (default csv: smaller, faster). */
  format?: 'csv' | 'xlsx';
}

/** The files of a city directory in upload order: employer, enrollment, project, hazard, accident, disease, injury, rectification, then contribution, benefit, training, inspection. */
export function cityUploads(dir: string, format: 'csv' | 'xlsx' = 'csv'): { dept: Department; type: EventType; file: string }[] {
  const out: { dept: Department; type: EventType; file: string }[] = [];
  for (const type of UPLOAD_ORDER) {
    for (const f of CITY_FILES.filter((x) => x.type === type)) {
      const candidates = format === 'csv' ? ['csv', 'xlsx'] : ['xlsx', 'csv'];
      const file = candidates.map((ext) => path.join(dir, f.dept, `${type}.${ext}`)).find((p) => fs.existsSync(p));
      if (file) out.push({ dept: f.dept, type, file });
    }
  }
  return out;
}

/** Groups reasons that differ only in their particulars (the digit found, the date typed). */
export function reasonKey(r: { reason: string; column?: string; field?: string }): string {
  const where = r.column ?? r.field;
  const reason = r.reason
    .replace(/（[^）]*）/g, '')
    .replace(/“[^”]*”/g, '“…”')
    .replace(/\d{4}-\d{1,2}-\d{1,2}( \d{1,2}:\d{2}(:\d{2})?)?/g, '〔日期〕')
    .replace(/\d+(\.\d+)?/g, 'N')
    .trim();
  return where && !reason.startsWith(where) ? `${where}：${reason}` : reason;
}

interface ManifestLike {
  files?: Record<string, { rows: number }>;
  planted?: { dirty?: { expectedRejections?: Record<string, number> } };
}

export async function publishCity(o: PublishCityOptions): Promise<FilePublished[]> {
  const tokenFor = o.tokenFor ?? ((dept: Department) => `dev-${dept}`);
  let manifest: ManifestLike = {};
  const manifestFile = path.join(o.dir, 'manifest.json');
  if (fs.existsSync(manifestFile)) manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as ManifestLike;
  const results: FilePublished[] = [];
  for (const { dept, type, file } of cityUploads(o.dir, o.format)) {
    const key = `${dept}/${type}`;
    const base = {
      dept, type, file: path.relative(o.dir, file), rows: manifest.files?.[key]?.rows,
      expectedRejections: manifest.planted?.dirty?.expectedRejections?.[key] ?? (manifest.files ? 0 : undefined),
    };
    o.onFile?.({ dept, type, file, stage: 'start' });
    let result: FilePublished;
    try {
      const answer = await publishFile({
        gatewayUrl: o.gatewayUrl, token: tokenFor(dept), type, file,
        onProgress: (sentBytes, totalBytes) => o.onFile?.({ dept, type, file, stage: 'progress', sentBytes, totalBytes }),
      });
      const counts = new Map<string, number>();
      for (const r of answer.rejected) counts.set(reasonKey(r), (counts.get(reasonKey(r)) ?? 0) + 1);
      const topReasons = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5).map(([reason, count]) => ({ reason, count }));
      result = { ...base, accepted: answer.accepted, corrected: answer.corrected ?? 0, duplicates: answer.duplicates, rejected: answer.rejected.length, topReasons };
    } catch (err) {
      result = { ...base, accepted: 0, corrected: 0, duplicates: 0, rejected: 0, topReasons: [], error: err instanceof Error ? err.message : String(err) };
    }
    results.push(result);
    o.onFile?.({ dept, type, file, stage: 'done', result });
  }
  return results;
}

export function publishSummaryTable(results: FilePublished[]): string {
  return formatTable(
    ['部门', '类型', '行数', '接受', '其中更正', '重复', '拒收', '预置应拒收', '主要拒收原因 / 错误'],
    results.map((r) => [
      r.dept, r.type, r.rows ?? '', r.accepted, r.corrected, r.duplicates, r.rejected, r.expectedRejections ?? '',
      r.error ? `错误：${r.error}` : r.topReasons.map((t) => `${t.reason} ×${t.count}`).join('；'),
    ]),
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: 'out/city' },
      gateway: { type: 'string', default: process.env.WHP_GATEWAY_URL ?? 'http://127.0.0.1:8080' },
      format: { type: 'string', default: 'csv' },
    },
  });
  const dir = path.resolve(values.dir!);
  if (!fs.existsSync(dir)) throw new Error(`目录不存在：${dir}（先运行 scripts/city/generate.ts）`);
  if (values.format !== 'csv' && values.format !== 'xlsx') throw new Error(`--format 应为 csv 或 xlsx`);
  const started = Date.now();
  const results = await publishCity({
    dir, gatewayUrl: values.gateway!, format: values.format,
    onFile: (e) => {
      if (e.stage === 'start') process.stdout.write(`上传 ${e.dept}/${path.basename(e.file)} … `);
      if (e.stage === 'done') console.log(e.result!.error ? `失败：${e.result!.error}` : `接受 ${e.result!.accepted}（更正 ${e.result!.corrected}），重复 ${e.result!.duplicates}，拒收 ${e.result!.rejected}`);
    },
  });
  console.log('\n' + publishSummaryTable(results));
  const total = (k: 'accepted' | 'corrected' | 'duplicates' | 'rejected'): number => results.reduce((s, r) => s + r[k], 0);
  const expected = results.reduce((s, r) => s + (r.expectedRejections ?? 0), 0);
  console.log(`\n合计：接受 ${total('accepted')}（更正 ${total('corrected')}），重复 ${total('duplicates')}，拒收 ${total('rejected')}（预置脏数据应拒收 ${expected}），用时 ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (results.some((r) => r.error)) process.exit(1);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
