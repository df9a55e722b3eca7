import { HubError } from '../shared/errors';
import { createLogger } from '../shared/logger';
import { Admission, Availability } from './availability';

const logger = createLogger('test', 'silent');

describe('the gateway tells a department to come back, at once', () => {
  test('while a dependency does not answer, a request gets 503 with Retry-After and a Chinese message; when it answers again, it goes through', async () => {
    let kafkaUp = false;
    const a = new Availability({ kafka: async () => (kafkaUp ? undefined : Promise.reject(new Error('connection refused'))), registry: async () => undefined }, logger);
    await a.tick();
    let err: HubError | null = null;
    try {
      a.assertAvailable();
    } catch (e) {
      err = e as HubError;
    }
    expect(err?.httpStatus).toBe(503);
    expect(err?.retryAfter).toBe(5);
    expect(err?.message).toMatch(/^Kafka 消息队列暂不可用，本次提交未被接收/);
    kafkaUp = true;
    await a.tick();
    expect(() => a.assertAvailable()).not.toThrow();
  });

  test('a check that hangs counts as down after its time limit', async () => {
    const a = new Availability({ registry: () => new Promise(() => undefined) }, logger, 1_000, 50);
    await a.tick();
    expect(() => a.assertAvailable()).toThrow(/模式注册中心暂不可用/);
  });

  test('beyond the uploads it takes at once, one more is answered 429 with Retry-After; a finished one makes room', () => {
    const adm = new Admission(2);
    const one = adm.enter();
    adm.enter();
    let err: HubError | null = null;
    try {
      adm.enter();
    } catch (e) {
      err = e as HubError;
    }
    expect(err?.httpStatus).toBe(429);
    expect(err?.retryAfter).toBe(3);
    one();
    one(); // leaving twice frees one place only
    expect(() => adm.enter()).not.toThrow();
    expect(() => adm.enter()).toThrow(/请求较多/);
  });
});
