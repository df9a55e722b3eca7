import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectStack, Stack } from '../../test/stack';
import { Gateway, startGateway } from '../../services/ingest-gateway/gateway';
import { fileTable, validUscc, writeXlsx } from '../../services/ingest-gateway/test-fixtures';

/** The publisher CLI as department staff run it: a child process against a real gateway. */
let stack: Stack;
let gateway: Gateway;
let dir: string;

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  gateway = await startGateway({ config: stack.config, port: 0 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whp-cli-'));
});
afterAll(async () => {
  await gateway?.close();
  await stack?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function whp(args: string[], cwd = dir): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(__dirname, '..', 'whp.sh'), ...args], { cwd, env: { ...process.env, WHP_CWD: cwd } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function accidentReport(name: string, run: string, bad: boolean): Promise<string> {
  const { headers } = fileTable('accident', run);
  const when = new Date(Date.UTC(2026, 5, 3, 14, 0));
  const rows: unknown[][] = [
    headers,
    [`${run}-1`, validUscc(31), '某建筑公司', '321302', when, 9, 0, 1, 0, 12000, '脚手架坠落', ''],
    [`${run}-2`, validUscc(32), '某机械厂', '321302', when, '机械伤害', 0, 0, 1, 3000, '', ''],
    [`${run}-3`, '', '某物流公司', '321302', when, 2, 0, 0, 2, 8000, '', ''],
  ];
  if (bad) {
    rows.push([`${run}-4`, validUscc(33).slice(0, 17) + 'Z', '某化工厂', '321302', when, 19, 1, 0, 0, 500000, '', '']);
    rows.push([`${run}-5`, validUscc(34), '某矿业公司', '321302', when, 25, 0, -2, 0, 100, '', '']);
  }
  const file = path.join(dir, name);
  await writeXlsx(file, rows);
  return file;
}

test('a report with good and bad rows: exit 1, counts, and every rejected row with its column and reason', async () => {
  const run = stack.unique('cli');
  await accidentReport('事故季报.xlsx', run, true);
  const { code, stdout } = await whp(['publish', '--dept', 'emergency', '--type', 'accident', '事故季报.xlsx', '--gateway', gateway.url]);
  expect(code).toBe(1);
  expect(stdout).toMatch(/│ 3\s+│ 0\s+│ 0\s+│ 2\s+│ 5\s+│/); // accepted, corrected, duplicates, rejected, submitted
  expect(stdout).toMatch(/│ 5\s+│ 统一社会信用代码\s+│ 统一社会信用代码含非法字符“Z”/);
  expect(stdout).toMatch(/│ 6\s+│ 事故类别,重伤人数\s+│ 事故类别代码应为 1–20（GB6441-1986），实际为 25；重伤人数：不能小于 0，实际为 -2/);
});

test('the same report again: its good rows are duplicates now, still exit 1 for the bad ones', async () => {
  const run = stack.unique('cli-again');
  const file = await accidentReport('again.xlsx', run, true);
  await whp(['publish', '--dept', 'emergency', '--type', 'accident', file, '--gateway', gateway.url]);
  const { code, stdout } = await whp(['publish', '--dept', 'emergency', '--type', 'accident', file, '--gateway', gateway.url]);
  expect(code).toBe(1);
  expect(stdout).toMatch(/│ 0\s+│ 0\s+│ 3\s+│ 2\s+│ 5\s+│/);
});

test('a clean report: exit 0 and everything accepted', async () => {
  const file = await accidentReport('clean.xlsx', stack.unique('cli-clean'), false);
  const { code, stdout } = await whp(['publish', '--dept', 'housing', '--type', 'accident', file, '--gateway', gateway.url]);
  expect(code).toBe(0);
  expect(stdout).toMatch(/│ 3\s+│ 0\s+│ 0\s+│ 0\s+│ 3\s+│/);
  expect(stdout).toContain('全部记录已接收');
});

test('a report resent with a row fixed: that row is a correction (更正), the others duplicates', async () => {
  const run = stack.unique('cli-fix');
  const file = await accidentReport('fix.xlsx', run, false);
  await whp(['publish', '--dept', 'emergency', '--type', 'accident', file, '--gateway', gateway.url]);
  const { headers } = fileTable('accident', run);
  const when = new Date(Date.UTC(2026, 5, 3, 14, 0));
  await writeXlsx(file, [
    headers,
    [`${run}-1`, validUscc(31), '某建筑公司', '321302', when, 9, 0, 1, 0, 15000, '脚手架坠落（损失已核实）', ''],
    [`${run}-2`, validUscc(32), '某机械厂', '321302', when, '机械伤害', 0, 0, 1, 3000, '', ''],
    [`${run}-3`, '', '某物流公司', '321302', when, 2, 0, 0, 2, 8000, '', ''],
  ]);
  const { code, stdout } = await whp(['publish', '--dept', 'emergency', '--type', 'accident', file, '--gateway', gateway.url]);
  expect(code).toBe(0);
  expect(stdout).toMatch(/│ 1\s+│ 1\s+│ 2\s+│ 0\s+│ 3\s+│/);
  expect(stdout).toContain('其中 1 条为更正');
});

test('a wrong token: the gateway refuses, exit 3 with its Chinese message', async () => {
  const file = await accidentReport('token.xlsx', stack.unique('cli-token'), false);
  const { code, stderr } = await whp(['publish', '--dept', 'emergency', '--type', 'accident', file, '--gateway', gateway.url, '--token', 'wrong']);
  expect(code).toBe(3);
  expect(stderr).toContain('报送失败（HTTP 401）：身份令牌无效或已停用');
});

test('a department that may not publish the type is told so before uploading (exit 2)', async () => {
  const file = await accidentReport('forbidden.xlsx', stack.unique('cli-forbidden'), false);
  const { code, stderr } = await whp(['publish', '--dept', 'health', '--type', 'accident', file, '--gateway', gateway.url]);
  expect(code).toBe(2);
  expect(stderr).toContain('卫生健康委员会（health）无权报送 accident 类事件');
});
