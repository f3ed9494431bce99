/** AuthorizationPolicies as a proxy enforces them, compiled (§7): part of `InboundXds` and of a ztunnel's config. */

/** One AuthorizationPolicy as the sidecar enforces it (§7). CUSTOM and AUDIT are kept but never decide. */
export interface AuthzPolicyXds {
  /** `AuthorizationPolicy/<namespace>/<name>` */
  name: string;
  action: 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';
  /** OR'ed. Empty: the policy matches nothing (ALLOW `spec: {}` allows nothing; a DENY never denies). */
  rules: AuthzRuleXds[];
}

/** Matches when one `from`, one `to` and every `when` condition hold; an empty list holds for any request. */
export interface AuthzRuleXds {
  /** `rules[i]`, for explanations. */
  path: string;
  /** One entry per `from[j].source`; its conditions are AND'ed. */
  from: AuthzConditionXds[][];
  /** One entry per `to[j].operation`; its conditions are AND'ed. */
  to: AuthzConditionXds[][];
  when: AuthzConditionXds[];
  /** Set when Istio would skip the rule (unknown `when` key, invalid value in an ALLOW rule): it never matches. */
  never?: string;
}

/** One field of a source, operation or `when`: the attribute matches one of `values`, or none of them if `negate`. */
export interface AuthzConditionXds {
  /** Where it came from: `rules[0].from[1].source.notPrincipals`, `rules[0].when[2]`. */
  field: string;
  attribute: AuthzAttributeXds;
  values: AuthzValueXds[];
  negate: boolean;
}

/** What a condition reads. Peer identity exists only under mTLS; `jwt` never exists (no RequestAuthentication). */
export type AuthzAttributeXds =
  | { kind: 'principal' | 'namespace' | 'serviceAccount' | 'sourceIp' | 'host' | 'port' | 'method' | 'path' }
  | { kind: 'header'; name: string }
  | { kind: 'jwt'; key: string };

/** A compiled value; `text` is what the policy says. Hosts are lower-cased (matched ignoring case). */
export type AuthzValueXds = { text: string } & (
  | { kind: 'exact' | 'prefix' | 'suffix'; value: string }
  /** `*`: present and not empty. */
  | { kind: 'presence' }
  /** IPv4 address or block, as an unsigned 32-bit number and prefix length. */
  | { kind: 'cidr'; address: number; bits: number }
  | { kind: 'port'; port: number }
  | { kind: 'serviceAccount'; namespace: string; name: string }
  /** Path template with `{*}` (one segment) and `{**}` (the rest). */
  | { kind: 'template'; segments: string[] }
);
