/**
 * Compiling a validated policy once per Put (the server caches the result): action and resource
 * patterns become RegExps, condition values are parsed to numbers, dates and CIDRs
 * (docs/spec/access.md §2). Evaluation then does no parsing except for policy variables (§2 R2.6).
 */

import { compileCondition } from './conditions';
import { compilePattern } from './pattern';
import type { CompiledPolicy, CompiledStatement, Policy, Statement } from './types';

function compileStatement(statement: Statement, variables: boolean): CompiledStatement {
  const actions = statement.action ?? statement.notAction ?? [];
  const resources = statement.resource ?? statement.notResource ?? [];
  return {
    statement,
    principals: statement.principal ?? statement.notPrincipal ?? [],
    principalNegated: statement.principal === undefined,
    // §2 R2.3: actions compare case-insensitively, with no variables.
    actions: actions.map((a) => compilePattern(a, { ignoreCase: true, variables: false })),
    actionNegated: statement.action === undefined,
    // §2 R2.4: resources are case-sensitive; §2 R2.6: variables in 2012-10-17 documents.
    resources: resources.map((r) => compilePattern(r, { ignoreCase: false, variables })),
    resourceNegated: statement.resource === undefined,
    conditions: statement.conditions.map((c) => compileCondition(c, variables)),
  };
}

export function compilePolicy(policy: Policy): CompiledPolicy {
  const variables = policy.version === '2012-10-17';
  return { policy, statements: policy.statements.map((s) => compileStatement(s, variables)) };
}
