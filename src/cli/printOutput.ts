import { stringify } from 'yaml';
import type { Output } from './output.ts';

/** Prints `data` as JSON, YAML or a JSONPath selection, or runs `text` for the text output. */
export async function printOutput(output: Output, data: unknown, text: (wide: boolean) => string): Promise<void> {
  process.stdout.write(`${await render(output, data, text)}\n`);
}

async function render(output: Output, data: unknown, text: (wide: boolean) => string): Promise<string> {
  switch (output.kind) {
    case 'text':
      return text(output.wide);
    case 'json':
      return JSON.stringify(data, null, 2);
    case 'yaml':
      return stringify(data, { aliasDuplicateObjects: false }).trimEnd();
    case 'jsonpath': {
      const { selectJsonPath } = await import('./jsonPath.ts');
      return selectJsonPath(data, output.expression);
    }
  }
}
