import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { probeTcp } from '../../../electron/core/cluster/reach.js';

const listen = (): Promise<Server> => new Promise((resolve) => {
  const s = createServer((c) => c.destroy());
  s.listen(0, '127.0.0.1', () => resolve(s));
});
const portOf = (s: Server) => (s.address() as { port: number }).port;

describe('TCP probe before an interactive SSH login', () => {
  it('passes when something listens', async () => {
    const s = await listen();
    try {
      await expect(probeTcp({ user: 'root', host: '127.0.0.1', port: portOf(s) })).resolves.toBeUndefined();
    } finally {
      s.close();
    }
  });

  it('a closed port is a clear "refused" error naming the node and the port', async () => {
    const s = await listen();
    const port = portOf(s);
    await new Promise((r) => s.close(r));
    await expect(probeTcp({ user: 'root', host: '127.0.0.1', port })).rejects.toMatchObject({
      code: 'refused',
      message: `root@127.0.0.1:${port} refused the connection: no SSH server listens on port ${port} (is sshd running?)`,
    });
  });
});
