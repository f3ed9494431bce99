import type {
  AuthorizationPolicy,
  AuthorizationPolicySpec,
  AuthzAttributeXds,
  AuthzConditionXds,
  AuthzPolicyXds,
  AuthzRuleXds,
  AuthzValueXds,
} from '../../../model/index.ts';
import type { DiagnosticSink } from '../DiagnosticSink.ts';
import { compileValue, isInvalid, type ValueSyntax } from './compileValue.ts';
import { parseWhenKey } from './whenKey.ts';

type Rule = NonNullable<AuthorizationPolicySpec['rules']>[number];

interface FieldSpec {
  name: string;
  attribute: AuthzAttributeXds;
  syntax: ValueSyntax;
}

// In the order a learner reads a source or operation; each field has its `not…` twin.
const SOURCE_FIELDS: FieldSpec[] = [
  { name: 'principals', attribute: { kind: 'principal' }, syntax: 'string' },
  { name: 'namespaces', attribute: { kind: 'namespace' }, syntax: 'string' },
  { name: 'serviceAccounts', attribute: { kind: 'serviceAccount' }, syntax: 'serviceAccount' },
  { name: 'ipBlocks', attribute: { kind: 'sourceIp' }, syntax: 'ip' },
  { name: 'remoteIpBlocks', attribute: { kind: 'sourceIp' }, syntax: 'ip' },
  { name: 'requestPrincipals', attribute: { kind: 'jwt', key: 'requestPrincipals' }, syntax: 'string' },
];

const OPERATION_FIELDS: FieldSpec[] = [
  { name: 'hosts', attribute: { kind: 'host' }, syntax: 'host' },
  { name: 'ports', attribute: { kind: 'port' }, syntax: 'port' },
  { name: 'methods', attribute: { kind: 'method' }, syntax: 'string' },
  { name: 'paths', attribute: { kind: 'path' }, syntax: 'path' },
];

/** What compiling one rule needs: the policy (for diagnostics and its namespace), its action, the sink. */
export interface RuleContext {
  policy: AuthorizationPolicy;
  action: AuthzPolicyXds['action'];
  diagnostics: DiagnosticSink;
}

/**
 * One `rules[i]` entry → its normalized form (§7). Mirrors istiod's authz
 * model: an unknown `when` key skips the rule; a value that does not
 * translate skips an ALLOW rule but is only dropped from a DENY or AUDIT
 * rule (istiod `checkError`: a smaller allow, a wider deny). Fields with
 * neither values nor not-values constrain nothing.
 */
export function compileRule(rule: Rule | null | undefined, index: number, ctx: RuleContext): AuthzRuleXds {
  const path = `rules[${index}]`;
  const out: AuthzRuleXds = { path, from: [], to: [], when: [] };
  if (!rule || typeof rule !== 'object') {
    out.never = `${path} is null, and istiod skips it`;
    return out;
  }
  const skip = (reason: string): void => {
    out.never ??= reason;
  };
  (rule.from ?? []).forEach((from, j) => {
    out.from.push(fieldConditions(from?.source, SOURCE_FIELDS, `${path}.from[${j}].source`, ctx, skip));
  });
  (rule.to ?? []).forEach((to, j) => {
    out.to.push(fieldConditions(to?.operation, OPERATION_FIELDS, `${path}.to[${j}].operation`, ctx, skip));
  });
  (rule.when ?? []).forEach((when, k) => {
    const field = `${path}.when[${k}]`;
    const key = typeof when?.key === 'string' ? when.key : '';
    const parsed = parseWhenKey(key);
    switch (parsed.kind) {
      case 'unknown':
        ctx.diagnostics.report('AuthzWhenKeyUnknown', { resource: ctx.policy, path: `spec.${field}.key` }, { key });
        return skip(`when key "${key}" is not an attribute Istio knows`);
      case 'notSimulated':
        ctx.diagnostics.report('AuthzWhenKeyNotSimulated', { resource: ctx.policy, path: `spec.${field}.key` }, { key });
        return skip(`when key ${key} is not simulated`);
      case 'malformed':
        for (const [name, list] of [['values', when?.values], ['notValues', when?.notValues]] as const) {
          (list ?? []).forEach((value, i) => reportInvalid(String(value), parsed.expected, `${field}.${name}[${i}]`, ctx, skip));
        }
        return;
      case 'attribute': {
        const spec = { name: key, attribute: parsed.attribute, syntax: parsed.syntax };
        const values = condition(spec, when?.values, false, field, `${field}.values`, ctx, skip);
        const notValues = condition(spec, when?.notValues, true, field, `${field}.notValues`, ctx, skip);
        if (values) out.when.push(values);
        if (notValues) out.when.push(notValues);
        return;
      }
      default:
        return assertNever(parsed);
    }
  });
  return out;
}

function fieldConditions(
  record: Record<string, string[] | undefined> | undefined,
  fields: FieldSpec[],
  base: string,
  ctx: RuleContext,
  skip: (reason: string) => void,
): AuthzConditionXds[] {
  const conditions: AuthzConditionXds[] = [];
  if (!record || typeof record !== 'object') return conditions;
  for (const spec of fields) {
    const notName = `not${spec.name[0]?.toUpperCase()}${spec.name.slice(1)}`;
    const values = condition(spec, record[spec.name], false, `${base}.${spec.name}`, `${base}.${spec.name}`, ctx, skip);
    const notValues = condition(spec, record[notName], true, `${base}.${notName}`, `${base}.${notName}`, ctx, skip);
    if (values) conditions.push(values);
    if (notValues) conditions.push(notValues);
  }
  return conditions;
}

function condition(
  spec: FieldSpec,
  list: unknown,
  negate: boolean,
  field: string,
  valuesPath: string,
  ctx: RuleContext,
  skip: (reason: string) => void,
): AuthzConditionXds | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  if (spec.attribute.kind === 'jwt') {
    ctx.diagnostics.report('AuthzJwtNotSimulated', { resource: ctx.policy, path: `spec.${valuesPath}` }, { field: spec.name });
  }
  const values: AuthzValueXds[] = [];
  list.forEach((item: unknown, i) => {
    const text = String(item);
    const result = compileValue(text, spec.syntax, ctx.policy.metadata.namespace);
    if (isInvalid(result)) reportInvalid(text, result.invalid, `${valuesPath}[${i}]`, ctx, skip);
    else values.push(result);
  });
  // A DENY or AUDIT field whose every value was dropped constrains nothing, as in istiod.
  return values.length > 0 ? { field, attribute: spec.attribute, values, negate } : undefined;
}

function reportInvalid(value: string, expected: string, path: string, ctx: RuleContext, skip: (reason: string) => void): void {
  const at = { resource: ctx.policy, path: `spec.${path}` };
  ctx.diagnostics.report('AuthzInvalidValue', at, { value, expected, action: ctx.action });
  if (ctx.action === 'ALLOW') skip(`${path} "${value}" is not ${expected}`);
}

function assertNever(value: never): never {
  throw new Error(`unexpected when key ${JSON.stringify(value)}`);
}
