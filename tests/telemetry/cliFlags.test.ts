import { describe, expect, it } from 'vitest';
import { meshviz } from '../helpers/meshvizCli.ts';

describe('simulate’s telemetry flags refuse bad values with the flag and what it accepts', () => {
  it.each([
    [['--start', 'yesterday'], 'meshviz: invalid value "yesterday" for --start (expected an RFC 3339 instant such as 2026-01-05T09:00:00Z)'],
    [['--pace', '0'], 'meshviz: invalid value "0" for --pace (expected a factor from 0.001 to 1000 (1: simulated time runs as fast as wall time))'],
    [['--serve-metrics', '9090'], 'meshviz: invalid value "9090" for --serve-metrics (expected HOST:PORT such as 127.0.0.1:9464 (port 0: any free port))'],
    [['--access-log-format', 'jsn'], 'meshviz: invalid value "jsn" for --access-log-format (did you mean json? expected text or json)'],
    [['--trace-sampling', '101'], 'meshviz: invalid value "101" for --trace-sampling (expected a percentage from 0 to 100)'],
    [['--scrape-interval', '0s'], 'meshviz: invalid value "0s" for --scrape-interval'],
    [['--metrics', '/nonexistent/dir/run.om'], 'meshviz: cannot write --metrics /nonexistent/dir/run.om: ENOENT (name a file in a directory you can write to)'],
  ])('%j', async (flags, message) => {
    const { code, stderr } = await meshviz('simulate', '--duration', '1s', ...flags);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
