import { loadConfig, DEV_PSEUDONYM_KEY } from './config';
import { ConfigError } from './errors';

test('defaults describe the local stack', () => {
  const c = loadConfig({});
  expect(c.kafkaBrokers).toEqual(['127.0.0.1:9092']);
  expect(c.registryUrl).toBe('http://127.0.0.1:8081/apis/ccompat/v7');
  expect(c.gatewayPort).toBe(8080);
  expect(c.portalPort).toBe(8090);
  expect(c.pseudonymKey).toBe(DEV_PSEUDONYM_KEY);
});

test('a wrong port names the variable', () => {
  expect(() => loadConfig({ GATEWAY_PORT: 'eighty' })).toThrow(ConfigError);
  expect(() => loadConfig({ GATEWAY_PORT: 'eighty' })).toThrow(/GATEWAY_PORT/);
});

test('a malformed broker list names KAFKA_BROKERS', () => {
  expect(() => loadConfig({ KAFKA_BROKERS: 'localhost' })).toThrow(/KAFKA_BROKERS/);
});

test('production needs its own pseudonym key', () => {
  expect(() => loadConfig({ WHP_ENV: 'production' })).toThrow(/WHP_PSEUDONYM_KEY/);
  expect(() => loadConfig({ WHP_ENV: 'production', WHP_PSEUDONYM_KEY: DEV_PSEUDONYM_KEY })).toThrow(/WHP_PSEUDONYM_KEY/);
  expect(loadConfig({ WHP_ENV: 'production', WHP_PSEUDONYM_KEY: 'x'.repeat(40) }).env).toBe('production');
});

test('a database URL with the wrong scheme is refused', () => {
  expect(() => loadConfig({ DATABASE_URL: 'mysql://x/y' })).toThrow(/DATABASE_URL/);
});
