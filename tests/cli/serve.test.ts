import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meshviz } from '../helpers/meshvizCli.ts';


describe('meshviz serve: mistakes are one line and exit status 2', () => {
  it.each([
    [['--port', 'abc'], 'meshviz: invalid value "abc" for --port (expected an integer from 0 to 65535, 0 for any free port)'],
    [['--port', '70000'], 'meshviz: invalid value "70000" for --port (expected an integer from 0 to 65535, 0 for any free port)'],
    [['--host', 'a b'], 'meshviz: invalid value "a b" for --host (expected an IP address or a host name)'],
    [['--prot', '80'], "meshviz: unknown option '--prot' (did you mean --port?)"],
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
      expect(r).toEqual({ code: 2, stdout: '', stderr: `meshviz: port ${port} on 127.0.0.1 is in use (pick another with --port N, 0 for any free port, or add --next-free-port to try the next ones)\n` });
    }, 30_000);
  });
});
