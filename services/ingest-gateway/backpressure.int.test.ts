import http from 'node:http';
import { connectStack, Stack } from '../../test/stack';
import { waitFor } from '../../test/waitFor';
import { createLogger } from '../shared/logger';
import { Gateway, startGateway } from './gateway';

/** A burst larger than the gateway takes at once is told to come back, not queued in memory. */
let stack: Stack;
let gateway: Gateway;
beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  gateway = await startGateway({ config: stack.config, port: 0, logger: createLogger('test', 'silent'), maxConcurrentUploads: 1 });
});
afterAll(async () => {
  await gateway?.close();
  await stack?.close();
});

test('beyond the uploads it takes at once, a request is answered 429 with Retry-After and a Chinese message, and the next one after goes through', async () => {
  const url = new URL('/v1/files/enrollment', gateway.url);
  // One upload that keeps its body open.
  const held = http.request(url, { method: 'POST', headers: { authorization: 'Bearer dev-hrss', 'content-type': 'text/csv' } });
  const heldAnswer = new Promise<number>((resolve) => held.on('response', (r) => (r.resume(), resolve(r.statusCode ?? 0))));
  held.write('参保流水号,统一社会信用代码,单位名称,行政区划代码,身份证号,参保操作,生效日期\r\n');
  held.flushHeaders();
  let second: Response | null = null;
  await waitFor(async () => {
    second = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer dev-hrss', 'content-type': 'text/csv' }, body: '参保流水号\r\n' });
    return second.status === 429;
  }, { timeoutMs: 10_000, what: 'a second upload to be refused while the first is open' });
  expect(second!.headers.get('retry-after')).toBe('3');
  expect(((await second!.json()) as { message: string }).message).toMatch(/当前报送请求较多/);
  held.end();
  expect(await heldAnswer).toBe(200);
  const after = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer dev-hrss', 'content-type': 'text/csv' }, body: '参保流水号,统一社会信用代码,单位名称,行政区划代码,身份证号,参保操作,生效日期\r\n' });
  expect(after.status).toBe(200);
});
