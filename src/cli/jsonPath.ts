import { JSONPath } from 'jsonpath-plus';
import { CliError } from './CliError.ts';

/**
 * `-o jsonpath=…` as kubectl reads it: a template of `{expression}` parts
 * (`{.status}`, `{.events[*].kind}`, `{"\n"}` for literal text) between
 * plain text; a bare `$.path` works too. Several matches print space
 * separated, objects as compact JSON. The expressions are JSONPath, evaluated
 * by jsonpath-plus with its safe evaluator for filters.
 */
export function selectJsonPath(data: unknown, template: string): string {
  const parts = template.includes('{') ? template.split(/(\{[^}]*\})/) : [`{${template}}`];
  const paired = (p: string): boolean => (p.startsWith('{') ? p.endsWith('}') && p.length > 1 : !/[{}]/.test(p));
  if (!parts.every(paired)) throw syntax(template, 'braces do not pair up');
  return parts
    .map((part) => {
      if (!part.startsWith('{')) return part;
      const expression = part.slice(1, -1).trim();
      const literal = /^"((?:[^"\\]|\\.)*)"$/.exec(expression);
      if (literal) return JSON.parse(`"${literal[1]}"`) as string;
      return select(data, expression, template);
    })
    .join('');
}

function select(data: unknown, expression: string, template: string): string {
  const path = expression.startsWith('$') ? expression : `$${expression.startsWith('.') || expression.startsWith('[') ? '' : '.'}${expression}`;
  let matches: unknown[];
  try {
    matches = JSONPath({ path, json: data as object, wrap: true, eval: 'safe' }) as unknown[];
  } catch (error) {
    throw syntax(template, error instanceof Error ? error.message : String(error));
  }
  return matches.map((m) => (typeof m === 'object' && m !== null ? JSON.stringify(m) : String(m))).join(' ');
}

function syntax(template: string, why: string): CliError {
  return new CliError(`-o jsonpath=${template}: ${why}`, 'e.g. jsonpath={.status} or jsonpath={.events[*].kind}');
}
