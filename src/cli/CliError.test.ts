import { describe, expect, it } from 'vitest';
import { CliError, errorLine, fromCommander } from './CliError.ts';

describe('one error shape: meshviz: <what> (<hint>)', () => {
  it('CliError joins what and the hint', () => {
    const e = new CliError('cannot read x.yaml', 'no such file or directory');
    expect(errorLine(e.message)).toBe('meshviz: cannot read x.yaml (no such file or directory)\n');
  });

  it("turns commander's messages into the same shape, its suggestion as the hint", () => {
    expect(fromCommander("error: unknown option '--form'\n(Did you mean --from?)\n", 'send')).toBe("meshviz: unknown option '--form' (did you mean --from?)\n");
    expect(fromCommander("error: unknown command 'sned'\n(Did you mean send?)\n", '')).toBe("meshviz: unknown command 'sned' (did you mean send?)\n");
    expect(fromCommander("error: unknown option '--zzz'\n", 'simulate')).toBe("meshviz: unknown option '--zzz' (see meshviz simulate --help)\n");
    expect(fromCommander("error: option '--seed <n>' argument missing\n", 'send')).toBe('meshviz: --seed needs a value (see meshviz send --help)\n');
    expect(fromCommander("error: missing required argument 'shell'\n", 'completion')).toBe("meshviz: missing required argument 'shell' (see meshviz completion --help)\n");
  });
});
