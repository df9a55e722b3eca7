import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectStack, Stack } from '../test/stack';
import { SCENARIO, loadScenario } from '../test/fixtures/reporterScenario';
import { createLogger } from '../services/shared/logger';
import { loadRegionConfig } from '../services/shared/regionConfig';
import { Reporter, startReporter } from '../services/reporter/reporter';
import { reportArtifacts } from './demo-report';

/** The demo's last step writes what people receive: the list, one letter and one notice, DOCX and PDF. */
const hasSoffice = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v soffice'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let stack: Stack;
let reporter: Reporter;
let dir: string;

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  await loadScenario(stack.db);
  await stack.db('notice').insert({
    notice_id: 'NTC-DEMO-1', kind: 'TYPICAL_ACCIDENT', title: '关于泗洪丁建筑工程有限公司“11·18”高处坠落事故的通报', issued_at: '2026-11-20',
    employers: [SCENARIO.D.key], evidence: '[]', body: '2026年11月18日，泗洪丁建筑工程有限公司（建筑业）发生一起高处坠落事故。', document_number: '宿工预通〔2026〕2号', version: 1,
  });
  reporter = await startReporter({ config: stack.config, region: loadRegionConfig({ WHP_REGION: 'suqian' }), logger: createLogger('demo-test', 'silent'), schedule: '', opsPort: 0 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whp-demo-'));
}, 60_000);

afterAll(async () => {
  await reporter?.close();
  await stack?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

(hasSoffice ? test : test.skip)('reportArtifacts writes the risk list XLSX, a 建议书 DOCX + PDF and a 通报 DOCX + PDF, named by their numbers', async () => {
  const artifacts = await reportArtifacts({ reporter, db: stack.db, outDir: dir });
  const names = artifacts.map((a) => path.basename(a.file));
  expect(names).toEqual([
    expect.stringMatching(/^风险清单-\d{4}-W\d{2}\.xlsx$/),
    '限期整改建议书-宿工预建〔2026〕3号.docx', // the joint letter of the scenario comes first
    '限期整改建议书-宿工预建〔2026〕3号.pdf',
    '通报-宿工预通〔2026〕2号.docx',
    '通报-宿工预通〔2026〕2号.pdf',
  ]);
  const head = (f: string, n: number) => fs.readFileSync(path.join(dir, f)).subarray(0, n).toString();
  expect(head(names[0], 2)).toBe('PK');
  expect(head(names[1], 2)).toBe('PK');
  expect(head(names[2], 5)).toBe('%PDF-');
  expect(head(names[3], 2)).toBe('PK');
  expect(head(names[4], 5)).toBe('%PDF-');
  expect(artifacts.map((a) => a.label).join()).not.toMatch(/REC-|NTC-/);
}, 180_000);
