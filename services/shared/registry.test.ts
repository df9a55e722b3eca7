import net from 'node:net';
import { createRegistry, patiently, registerSchema } from './registry';
import { HubError } from './errors';
import { readSchema } from './avro';

describe('the registry client', () => {
  test('a registry that takes the connection but never answers fails the call instead of hanging it', async () => {
    const silent = net.createServer(() => {}); // accepts, never replies
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const registry = createRegistry(`http://127.0.0.1:${port}`, 300);
      await expect(registerSchema(registry, 'whp.employer.v1-value', readSchema('employer'))).rejects.toMatchObject({
        code: 'DEPENDENCY_UNAVAILABLE',
      });
    } finally {
      silent.close();
    }
  }, 30_000);
});

describe('starting while the registry is slow', () => {
  test('a registry that is unavailable for a while is waited for', async () => {
    let calls = 0;
    const work = async () => {
      if (++calls < 3) throw new HubError('DEPENDENCY_UNAVAILABLE', '无法注册模式');
      return 42;
    };
    await expect(patiently(work, 10_000)).resolves.toBe(42);
    expect(calls).toBe(3);
  });

  test('an incompatible schema fails at once, without waiting', async () => {
    let calls = 0;
    const work = async () => {
      calls++;
      throw new HubError('SCHEMA_INCOMPATIBLE', '模式与已注册版本不兼容');
    };
    await expect(patiently(work, 10_000)).rejects.toMatchObject({ code: 'SCHEMA_INCOMPATIBLE' });
    expect(calls).toBe(1);
  });

  test('a registry that stays away fails the start once the patience is spent', async () => {
    const started = Date.now();
    await expect(patiently(async () => Promise.reject(new HubError('DEPENDENCY_UNAVAILABLE', 'down')), 1_200)).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
