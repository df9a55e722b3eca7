/**
 * `whp` — the publisher CLI for department staff:
 *
 *   npx whp publish --dept emergency --type accident 事故季报.xlsx [--gateway URL] [--token T]
 *   npx whp tokens issue|list|revoke …   (operators: department tokens, scripts/cli/tokens.ts)
 *   npx whp audit verify [--head seq:hash] (operators: the audit log's hash chain, scripts/cli/audit.ts)
 *
 * Uploads the file to the ingest gateway with a progress bar, prints what was accepted and what
 * was rejected and why, and exits non-zero when anything was rejected.
 * Exit status: 0 all taken · 1 some rows rejected · 2 usage error · 3 the gateway refused or failed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { DEPARTMENTS, EVENT_TYPES, isDepartment, isEventType, mayPublish } from '../../services/shared/contract';
import { GatewayError, IngestAnswer, publishFile } from '../../services/ingest-gateway/client';

const USAGE = `用法 (usage):
  whp publish --dept <部门代码> --type <事件类型> <文件.csv|文件.xlsx> [--gateway URL] [--token 令牌]

  --dept     ${Object.keys(DEPARTMENTS).join(' | ')}
  --type     ${EVENT_TYPES.join(' | ')}
  --gateway  接入网关地址，默认 $WHP_GATEWAY_URL 或 http://127.0.0.1:8080
  --token    身份令牌，默认 $WHP_TOKEN；非生产环境下默认为 dev-<部门代码>

  whp tokens issue|list|revoke …   （运维人员）签发、列出、停用部门令牌；whp tokens --help 查看用法
  whp audit verify [--head 序号:哈希] （运维人员）核验审计日志的哈希链`;

/** Display width: CJK characters take two columns in a terminal. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[]) => `│ ${cells.map((c, i) => padEnd(c, widths[i])).join(' │ ')} │`;
  const rule = (l: string, m: string, r: string) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
  return [rule('┌', '┬', '┐'), line(headers), rule('├', '┼', '┤'), ...rows.map(line), rule('└', '┴', '┘')].join('\n');
}

const DETAIL_LIMIT = 50;

/** The summary a person reads: counts, then the rejected rows (or, when there are many, grouped by column). */
export function summarize(answer: IngestAnswer, file: string): string {
  const submitted = answer.accepted + answer.duplicates + answer.rejected.length;
  const out: string[] = [];
  out.push(`\n报送结果 · ${path.basename(file)}`);
  out.push(
    formatTable(
      ['已接收 accepted', '其中更正 corrected', '重复 duplicates', '拒收 rejected', '合计 submitted'],
      [[String(answer.accepted), String(answer.corrected ?? 0), String(answer.duplicates), String(answer.rejected.length), String(submitted)]],
    ),
  );
  const skipped = answer.skipped ?? [];
  if (skipped.length > 0) {
    const rows = skipped.slice(0, 10).map((x) => `第 ${x.row} 行（${x.reason.replace(/，已跳过$/, '')}）`);
    out.push(`已跳过 ${skipped.length} 行（合计、小计等，不是记录）：${rows.join('、')}${skipped.length > 10 ? ' …' : ''}`);
  }
  if (answer.corrected > 0) {
    out.push(`其中 ${answer.corrected} 条为更正：编号此前已报送、内容有变，已作为新的修订版本发布。`);
  }
  if (answer.rejected.length === 0) {
    out.push('全部记录已接收或此前已报送。');
    return out.join('\n');
  }
  const position = (r: IngestAnswer['rejected'][number]) => String(r.row ?? (r.index !== undefined ? `#${r.index}` : ''));
  const column = (r: IngestAnswer['rejected'][number]) => r.column ?? r.field ?? '';
  if (answer.rejected.length > DETAIL_LIMIT) {
    // Thousands of rejections: one line per column and reason, with how many and which rows.
    const groups = new Map<string, { column: string; reason: string; rows: string[] }>();
    for (const r of answer.rejected) {
      // Reasons quote the bad value; group on the reason without it.
      const reason = r.reason.replace(/实际为.*$/, '').replace(/[，,；]\s*$/, '');
      const key = `${column(r)}\u0000${reason}`;
      const g = groups.get(key) ?? { column: column(r), reason, rows: [] };
      g.rows.push(position(r));
      groups.set(key, g);
    }
    const sorted = [...groups.values()].sort((a, b) => b.rows.length - a.rows.length);
    out.push(`\n拒收原因汇总（共 ${answer.rejected.length} 行，按列和原因归类）`);
    out.push(
      formatTable(
        ['列 column', '原因 reason', '行数', '行号（示例）'],
        sorted.slice(0, 30).map((g) => [g.column, g.reason, String(g.rows.length), g.rows.slice(0, 8).join(', ') + (g.rows.length > 8 ? ' …' : '')]),
      ),
    );
    if (sorted.length > 30) out.push(`……另有 ${sorted.length - 30} 类原因未列出`);
  }
  const shown = answer.rejected.slice(0, DETAIL_LIMIT);
  out.push(`\n拒收明细${answer.rejected.length > DETAIL_LIMIT ? `（前 ${DETAIL_LIMIT} 行）` : ''}`);
  out.push(formatTable(['行 row', '列 column', '原因 reason'], shown.map((r) => [position(r), column(r), r.reason])));
  out.push('请更正以上行后重新报送整个文件：已接收的记录会计为重复，不会重复入库。');
  return out.join('\n');
}

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function publish(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { dept: { type: 'string' }, type: { type: 'string' }, gateway: { type: 'string' }, token: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { dept, type } = values;
  if (!dept || !isDepartment(dept)) fail(`请用 --dept 指定部门代码（${Object.keys(DEPARTMENTS).join('、')}）\n\n${USAGE}`, 2);
  if (!type || !isEventType(type)) fail(`请用 --type 指定事件类型（${EVENT_TYPES.join('、')}）\n\n${USAGE}`, 2);
  if (positionals.length !== 1) fail(`请指定一个要报送的文件\n\n${USAGE}`, 2);
  // scripts/whp.sh runs from the repo root; a relative path means the caller's directory.
  const file = path.resolve(process.env.WHP_CWD ?? process.cwd(), positionals[0]);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) fail(`找不到文件：${file}`, 2);
  if (!mayPublish(dept, type)) fail(`${DEPARTMENTS[dept]}（${dept}）无权报送 ${type} 类事件`, 2);

  const production = process.env.WHP_ENV === 'production';
  const token = values.token ?? process.env.WHP_TOKEN ?? (production ? undefined : `dev-${dept}`);
  if (!token) fail('生产环境必须用 --token 或 WHP_TOKEN 提供本部门的身份令牌', 2);
  const gatewayUrl = values.gateway ?? process.env.WHP_GATEWAY_URL ?? `http://${process.env.WHP_HOST ?? '127.0.0.1'}:${process.env.GATEWAY_PORT ?? '8080'}`;

  const total = fs.statSync(file).size;
  const bar = new cliProgress.SingleBar(
    { format: '上传 {bar} {percentage}% | {sentMB}/{totalMB} MB', hideCursor: true, stream: process.stderr, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const mb = (n: number) => (n / 1048576).toFixed(1);
  bar.start(total, 0, { sentMB: mb(0), totalMB: mb(total) });
  let answer: IngestAnswer;
  try {
    answer = await publishFile({ gatewayUrl, token, type, file, onProgress: (sent) => bar.update(sent, { sentMB: mb(sent), totalMB: mb(total) }) });
    bar.update(total, { sentMB: mb(total), totalMB: mb(total) });
  } catch (err) {
    bar.stop();
    if (err instanceof GatewayError) {
      fail(`报送失败${err.status ? `（HTTP ${err.status}）` : ''}：${err.message}`, 3);
    }
    throw err;
  }
  bar.stop();
  process.stdout.write(`${summarize(answer, file)}\n`);
  return answer.rejected.length > 0 ? 1 : 0;
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'publish') {
    process.exitCode = await publish(rest);
    return;
  }
  if (command === 'tokens') {
    const { tokensCommand } = await import('./tokens');
    process.exitCode = await tokensCommand(rest, { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) });
    return;
  }
  if (command === 'audit') {
    const { auditCommand } = await import('./audit');
    process.exitCode = await auditCommand(rest, { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) });
    return;
  }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    process.exitCode = command === undefined ? 2 : 0;
    return;
  }
  fail(`未知命令“${command}”\n\n${USAGE}`, 2);
}

if (require.main === module) {
  main().catch((err) => fail(`出错了：${(err as Error).message}`, 3));
}
