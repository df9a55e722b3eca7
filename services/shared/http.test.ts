import { AddressInfo } from 'node:net';
import { closeServer, express, listen } from './http';

test('a service whose port is taken fails to start, naming the port, instead of running without it', async () => {
  const first = await listen(express(), 0, '127.0.0.1');
  const { port } = first.address() as AddressInfo;
  try {
    await expect(listen(express(), port, '127.0.0.1')).rejects.toThrow(`127.0.0.1:${port}`);
  } finally {
    await closeServer(first);
  }
});
