import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connectStack, Stack } from '../../test/stack';
import { topicOf } from '../shared/contract';
import { publishFile } from './client';
import { fileTable, writeLargeCsv, writeLargeXlsx } from './test-fixtures';

/**
 * A quarterly report of 200,000 rows is streamed: taken whole, every row accounted for, while
 * the process's memory stays bounded (the file itself is far larger than the allowed growth
 * once parsed into records).
 */
const ROWS = 200_000;
const BAD_EVERY = 10_000; // every 10,000th row has a verification date that does not exist
// Two batches of 2,000 records in flight need a few MB; the whole file as records would need
// several hundred, beyond the gateway's heap limit here.
const OLD_SPACE_MB = 160;
const RSS_GROWTH_BOUND = 160 * 1024 * 1024;

let stack: Stack;
let gateway: ChildProcess;
let gatewayUrl: string;
let dir: string;

/**
 * The gateway runs as its own process (main.ts, as deployed) with a small old-space limit, so
 * holding a whole file would crash it, and its peak resident memory is read from /proc.
 */
beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whp-large-'));
  gateway = spawn(process.execPath, [`--max-old-space-size=${OLD_SPACE_MB}`, '--import', 'tsx', path.join(__dirname, 'main.ts')], {
    cwd: path.join(__dirname, '..', '..'),
    env: { ...process.env, DATABASE_URL: stack.config.databaseUrl, GATEWAY_PORT: '0', LOG_LEVEL: 'info', WHP_ENV: 'dev' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  gatewayUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    gateway.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"url":"(http:[^"]+)"/.exec(out);
      if (m) resolve(m[1]);
    });
    gateway.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    gateway.once('exit', (code) => reject(new Error(`gateway exited (${code}): ${out}`)));
  });
});
afterAll(async () => {
  if (gateway && gateway.exitCode === null) {
    const exited = once(gateway, 'exit');
    gateway.kill('SIGTERM');
    await exited;
  }
  await stack?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function topicEnd(): Promise<number> {
  const offsets = await stack.admin.fetchTopicOffsets(topicOf('rectification'));
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

/** Peak and current resident memory of the gateway process, in bytes. */
function memoryOf(pid: number): { peak: number; now: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)![1]) * 1024;
  return { peak: kb('VmHWM'), now: kb('VmRSS') };
}

function rowOf(run: string, template: unknown[], dateCol: number, asDate: boolean) {
  return (i: number) => {
    const r = [...template];
    r[0] = `${run}-${i}`;
    if ((i + 1) % BAD_EVERY === 0) r[dateCol] = '2026-02-30';
    else r[dateCol] = asDate ? new Date(Date.UTC(2026, 9, 1 + (i % 28))) : `2026/10/${1 + (i % 28)}`;
    return r;
  };
}

test.each(['csv', 'xlsx'] as const)('a 200,000-row %s is taken in a stream with bounded memory', async (format) => {
  const run = stack.unique(`large-${format}`);
  const { headers, row } = fileTable('rectification', run);
  const dateCol = headers.indexOf('复查日期');
  const file = path.join(dir, `rectification.${format}`);
  if (format === 'csv') await writeLargeCsv(file, headers, ROWS, rowOf(run, row, dateCol, false));
  else await writeLargeXlsx(file, headers, ROWS, rowOf(run, row, dateCol, true));
  const size = fs.statSync(file).size;

  const startOffset = await topicEnd();
  const before = memoryOf(gateway.pid!);
  const answer = await publishFile({ gatewayUrl, token: 'dev-health', type: 'rectification', file });
  const after = memoryOf(gateway.pid!);
  const growth = after.peak - Math.max(before.peak, before.now);
  // eslint-disable-next-line no-console
  console.log(`${format}: ${(size / 1048576).toFixed(1)} MB file; gateway peak RSS ${(after.peak / 1048576).toFixed(0)} MB, grew ${(growth / 1048576).toFixed(0)} MB`);
  expect(gateway.exitCode).toBeNull(); // not killed by its heap limit

  const bad = ROWS / BAD_EVERY;
  expect(answer.accepted).toBe(ROWS - bad);
  expect(answer.duplicates).toBe(0);
  expect(answer.rejected).toHaveLength(bad);
  // Spreadsheet row numbers: the header is row 1, data row i (0-based) is row i + 2.
  expect(answer.rejected[0]).toEqual({ row: BAD_EVERY + 1, column: '复查日期', reason: '复查日期：日期 2026-02-30 不存在' });
  expect(await topicEnd()).toBeGreaterThanOrEqual(startOffset + ROWS - bad);
  const [{ n }] = await stack.db('ingest_event').where('event_id', 'like', `${run}-%`).andWhere({ state: 'accepted' }).count({ n: '*' });
  expect(Number(n)).toBe(ROWS - bad);
  expect(growth).toBeLessThan(RSS_GROWTH_BOUND);
}, 240_000);
