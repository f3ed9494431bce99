import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meshviz } from '../helpers/meshvizCli.ts';


describe('meshviz serve: mistakes are one line and exit status 2', () => {
  it.each([
    [['--port', 'abc'], 'meshviz: --port must be an integer from 0 to 65535, got "abc"'],
    [['--port', '70000'], 'meshviz: --port must be an integer from 0 to 65535, got "70000"'],
    [['--host', 'a b'], 'meshviz: --host must be an IP address or a host name, got "a b"'],
  ])('serve %j', async (args, line) => {
    const r = await meshviz('serve', ...args);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
  }, 30_000);

  describe('on a busy port', () => {
    let blocker: Server;
    beforeAll(async () => {
      blocker = createServer();
      await new Promise<void>((done) => blocker.listen({ host: '127.0.0.1', port: 0 }, done));
    });
    afterAll(async () => {
      await new Promise<void>((done) => blocker.close(() => done()));
    });

    it('says so and how to pick another port, before building anything', async () => {
      const port = String((blocker.address() as { port: number }).port);
      const r = await meshviz('serve', '--port', port);
      expect(r).toEqual({ code: 2, stdout: '', stderr: `meshviz: port ${port} on 127.0.0.1 is in use; pick another with --port N (0 for any free port), or add --next-free-port to try the next ones\n` });
    }, 30_000);
  });
});
