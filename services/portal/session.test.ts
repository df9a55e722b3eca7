import { cookieValue, newSessionSecret, sealToken, sessionCookie, sessionHash, unsealToken } from './session';
import { retryAfterSeconds } from './signInLimit';

test('a sealed token opens only with the secret it was sealed with', () => {
  const a = newSessionSecret();
  const b = newSessionSecret();
  const sealed = sealToken('dev-hrss', a);
  expect(sealed).not.toContain('dev-hrss');
  expect(unsealToken(sealed, a)).toBe('dev-hrss');
  expect(unsealToken(sealed, b)).toBeNull();
  expect(sessionHash(a)).not.toBe(sessionHash(b));
  expect(sessionHash(a)).toMatch(/^[0-9a-f]{64}$/);
});

test('the session cookie is HttpOnly and SameSite=Strict, Secure only when asked', () => {
  const c = sessionCookie('abc', { secure: false, maxAgeSeconds: 28800 });
  expect(c).toBe('whp_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=28800');
  expect(sessionCookie('abc', { secure: true, maxAgeSeconds: 1 })).toMatch(/; Secure$/);
});

test('cookieValue finds one cookie among others', () => {
  expect(cookieValue('a=1; whp_session=xyz; b=2', 'whp_session')).toBe('xyz');
  expect(cookieValue('whp_sessionx=1', 'whp_session')).toBeNull();
  expect(cookieValue(undefined, 'whp_session')).toBeNull();
});

test('Retry-After counts down to when the oldest attempt leaves the window', () => {
  const now = new Date('2026-11-24T02:00:40Z');
  expect(retryAfterSeconds(new Date('2026-11-24T02:00:00Z'), now)).toBe(20);
  expect(retryAfterSeconds(new Date('2026-11-24T01:59:00Z'), now)).toBe(1);
});
