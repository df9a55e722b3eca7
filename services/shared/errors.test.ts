import { HubError, isDatabaseDataError, isDatabaseUnavailable } from './errors';

test('a database that refused, cut or is shutting down is "unavailable" (503), other errors are not', () => {
  expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
  expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
  expect(isDatabaseUnavailable(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
  expect(isDatabaseUnavailable(Object.assign(new Error('connection failure'), { code: '08006' }))).toBe(true);
  expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  expect(isDatabaseUnavailable(Object.assign(new Error('Knex: Timeout acquiring a connection.'), { name: 'KnexTimeoutError' }))).toBe(true);
  expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
  expect(isDatabaseUnavailable(new HubError('BAD_REQUEST', '请求有误'))).toBe(false);
  expect(isDatabaseUnavailable(undefined)).toBe(false);
});

test('data PostgreSQL refuses (a NUL in text, a value too long, a broken constraint) is not an outage', () => {
  expect(isDatabaseDataError(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' }))).toBe(true);
  expect(isDatabaseDataError(Object.assign(new Error('value too long for type character varying(128)'), { code: '22001' }))).toBe(true);
  expect(isDatabaseDataError(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(true);
  expect(isDatabaseDataError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(false);
  expect(isDatabaseDataError(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(false);
});
