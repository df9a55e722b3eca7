import { createLogger } from '../services/shared/logger';
import { Portal, startPortal } from '../services/portal/portal';
import { Gateway, startGateway } from '../services/ingest-gateway/gateway';
import { Reporter, startReporter } from '../services/reporter/reporter';
import { connectStack, Stack } from './stack';
import { seedPortalScenario } from './fixtures/portalScenario';
import { loadRegionConfig } from '../services/shared/regionConfig';

/**
 * Security headers on every answer of the portal and the gateway (issue 10 item 5): a content
 * security policy that lets the console run only its own scripts, no sniffing, no referrer, no
 * framing; Strict-Transport-Security only in production. The expected values are written here.
 */
let stack: Stack;
let portal: Portal;
let gateway: Gateway;
let reporter: Reporter;
const logger = createLogger('headers-test', 'silent');
const region = loadRegionConfig({ WHP_REGION: 'suqian' });

beforeAll(async () => {
  stack = await connectStack({ freshDatabase: true });
  await seedPortalScenario(stack.db); // a notice and a letter to render as PDF
  reporter = await startReporter({ config: stack.config, region, logger, schedule: '', opsPort: null });
  portal = await startPortal({ config: stack.config, region, logger, port: 0, waitMs: 60_000 });
  gateway = await startGateway({ config: stack.config, logger, port: 0 });
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await portal?.close();
  await reporter?.close();
  await stack?.close();
});

/** The policy's directives, name → sources. */
function directives(csp: string | null): Record<string, string[]> {
  return Object.fromEntries((csp ?? '').split(';').map((d) => d.trim().split(/\s+/)).filter((p) => p[0]).map(([name, ...sources]) => [name, sources]));
}

const COMMON = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' };

describe('the portal', () => {
  test.each([
    ['/healthz', undefined],
    ['/openapi.json', undefined],
    ['/api/v1/alerts', 'dev-hrss'],
    ['/api/v1/alerts', undefined], // 401 too
    ['/api/v1/nothing-here', 'dev-hrss'], // 404 too
  ])('%s (token %s) carries the headers', async (path, token) => {
    const res = await fetch(`${portal.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    for (const [name, value] of Object.entries(COMMON)) expect({ name, value: res.headers.get(name) }).toEqual({ name, value });
    const csp = directives(res.headers.get('content-security-policy'));
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['script-src']).toEqual(["'self'"]); // only the console's own scripts: no inline, no eval, no CDN
    expect(csp['style-src']).toEqual(["'self'", "'unsafe-inline'"]); // antd injects styles at run time
    expect(csp['img-src']).toEqual(["'self'", 'data:', 'blob:']);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['frame-src']).toEqual(["'self'"]); // the PDF preview
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('strict-transport-security')).toBeNull(); // dev: plain http
  });
});

describe('the PDF preview (通报与文书): only the inline PDF may be framed, and only by the console itself', () => {
  const get = (path: string, token = 'dev-hrss') => fetch(`${portal.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  test.each(['/api/v1/notices/NTC-A-001.pdf?inline=1', '/api/v1/recommendations/REC-A-PRIORITY.pdf?inline=1'])('%s: framed by the same origin only, loads nothing itself', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const csp = directives(res.headers.get('content-security-policy'));
    expect(csp['frame-ancestors']).toEqual(["'self'"]);
    expect(csp['default-src']).toEqual(["'none'"]);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
  }, 90_000);

  test.each([
    ['/api/v1/notices/NTC-A-001.pdf', 'dev-hrss', 200], // a download
    ['/api/v1/notices/NTC-A-001.docx?inline=1', 'dev-hrss', 200], // not a PDF
    ['/api/v1/notices/NOPE.pdf?inline=1', 'dev-hrss', 404], // an error answer
    ['/api/v1/recommendations/REC-A-PRIORITY.pdf?inline=1', 'dev-union', 403],
    ['/api/v1/recommendations/REC-A-PRIORITY.pdf?inline=1', 'dev-nobody', 401],
  ])('%s (%s, %s) may not be framed at all', async (path, token, status) => {
    const res = await get(path, token);
    expect(res.status).toBe(status);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(directives(res.headers.get('content-security-policy'))['frame-ancestors']).toEqual(["'none'"]);
    await res.arrayBuffer();
  }, 90_000);
});

describe('the gateway', () => {
  test.each([
    ['GET', '/healthz'],
    ['GET', '/openapi.json'],
    ['POST', '/v1/events/accident'], // 401
  ])('%s %s carries the headers, with a policy that allows no content at all', async (method, path) => {
    const res = await fetch(`${gateway.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '[]' : undefined });
    for (const [name, value] of Object.entries(COMMON)) expect({ name, value: res.headers.get(name) }).toEqual({ name, value });
    const csp = directives(res.headers.get('content-security-policy'));
    expect(csp['default-src']).toEqual(["'none'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});

test('in production (WHP_ENV=production) Strict-Transport-Security is sent as well', async () => {
  // A database of its own: production removes the dev tokens of the database it starts on.
  const own = await connectStack({ freshDatabase: true });
  const prod = await startPortal({ config: { ...own.config, env: 'production' }, logger, port: 0, waitMs: 300 });
  try {
    const res = await fetch(`${prod.url}/healthz`);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  } finally {
    await prod.close();
    await own.close();
  }
});
