import { spawn } from 'node:child_process';
import path from 'node:path';
import { connectStack, Stack } from '../../test/stack';
import { Gateway, startGateway } from '../../services/ingest-gateway/gateway';
import { jsonRecord } from '../../services/ingest-gateway/test-fixtures';
import { hashToken } from '../../services/shared/auth';

/**
 * Department tokens as an operator handles them: `whp tokens` as a child process on the real
 * PostgreSQL (a fresh database), against a gateway started in-process on a free port.
 */
let stack: Stack;
let gateway: Gateway;

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  gateway = await startGateway({ config: stack.config, port: 0 });
});
afterAll(async () => {
  await gateway?.close();
  await stack?.close();
});

function whp(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(__dirname, '..', 'whp.sh'), ...args], {
      env: { ...process.env, DATABASE_URL: stack.config.databaseUrl, LOG_LEVEL: 'silent', WHP_ENV: 'dev' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function postAccident(token: string, id: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${gateway.url}/v1/events/accident`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify([jsonRecord('accident', id)]),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test('issue → the gateway accepts the token for its department → list shows it without the token → revoke → 401', async () => {
  const label = stack.unique('应急局接口');
  const issued = await whp(['tokens', 'issue', '--dept', 'emergency', '--label', label]);
  expect(issued.code).toBe(0);
  const token = issued.stdout.trim();
  expect(token).toMatch(/^whp_[A-Za-z0-9_-]{32}$/); // stdout is the token alone, for TOKEN=$(whp tokens issue …)
  expect(issued.stderr).toContain('只显示这一次');

  const row = await stack.db('ingest_token').where({ label }).first();
  expect(row).toMatchObject({ department: 'emergency', token_hash: hashToken(token), revoked_at: null });

  const run = stack.unique('tok');
  const accepted = await postAccident(token, `${run}-1`);
  expect(accepted).toMatchObject({ status: 200, body: { accepted: 1 } });
  // The token is emergency's: a type emergency may not publish is 403, not accepted.
  const res = await fetch(`${gateway.url}/v1/events/hazard`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify([jsonRecord('hazard', `${run}-h`)]),
  });
  expect(res.status).toBe(403);

  const listed = await whp(['tokens', 'list']);
  expect(listed.code).toBe(0);
  const line = listed.stdout.split('\n').find((l) => l.includes(label));
  expect(line).toBeDefined();
  expect(line).toContain(row.token_hash.slice(0, 12));
  expect(line).toMatch(/emergency 应急管理局/);
  expect(line).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}\s+│ —/); // created, not revoked
  expect(listed.stdout).not.toContain(token);
  expect(listed.stdout).not.toContain(row.token_hash.slice(0, 13)); // never more of the hash than the id

  const revoked = await whp(['tokens', 'revoke', label]);
  expect(revoked.code).toBe(0);
  expect(revoked.stdout).toContain('已停用令牌');
  expect((await stack.db('ingest_token').where({ label }).first()).revoked_at).not.toBeNull();

  const refused = await postAccident(token, `${run}-2`);
  expect(refused.status).toBe(401);
  expect(refused.body.message).toMatch(/无效或已停用/);

  const again = await whp(['tokens', 'list']);
  expect(again.stdout.split('\n').find((l) => l.includes(label))).not.toMatch(/│ —\s+│$/);
});

test('revoke by id; a label is unique among active tokens; the dev label is reserved; unknown ids are refused', async () => {
  const label = stack.unique('住建局报表岗');
  const first = await whp(['tokens', 'issue', '--dept', 'housing', '--label', label]);
  expect(first.code).toBe(0);
  const taken = await whp(['tokens', 'issue', '--dept', 'transport', '--label', label]);
  expect(taken.code).toBe(1);
  expect(taken.stderr).toMatch(/已被住房和城乡建设局的有效令牌使用/);

  const id = hashToken(first.stdout.trim()).slice(0, 12);
  expect((await postAccident(first.stdout.trim(), stack.unique('tok-id'))).status).toBe(200);
  const revoked = await whp(['tokens', 'revoke', id]);
  expect(revoked.code).toBe(0);
  expect(revoked.stdout).toContain(id);
  expect((await postAccident(first.stdout.trim(), stack.unique('tok-id'))).status).toBe(401);
  const twice = await whp(['tokens', 'revoke', id]);
  expect(twice.code).toBe(0);
  expect(twice.stdout).toContain('无需再次停用');

  // Once the old one is revoked the label can be issued again (rotation).
  expect((await whp(['tokens', 'issue', '--dept', 'housing', '--label', label])).code).toBe(0);

  expect((await whp(['tokens', 'issue', '--dept', 'housing', '--label', 'dev'])).stderr).toMatch(/保留给开发令牌/);
  const unknown = await whp(['tokens', 'revoke', 'ffffffffffff']);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/没有编号或标签为“ffffffffffff”的令牌/);
  const usage = await whp(['tokens', 'issue', '--dept', 'police', '--label', 'x']);
  expect(usage.code).toBe(2);
  expect(usage.stderr).toMatch(/请用 --dept 指定部门代码/);
});
