import net from 'node:net';
import { createRegistry, registerSchema } from './registry';
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
