import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { GatewayLimits } from '../config';

interface Measure {
  depth: number;
  aliases: number;
  fields: number;
}

/** Depth, aliases and selected fields of a selection set, fragments expanded (each once per path). */
function measure(
  selectionSet: SelectionSetNode,
  fragment: (name: string) => FragmentDefinitionNode | null | undefined,
  seen: ReadonlySet<string> = new Set(),
): Measure {
  const total: Measure = { depth: 0, aliases: 0, fields: 0 };
  for (const selection of selectionSet.selections) {
    let inner: Measure | null = null;
    if (selection.kind === Kind.FIELD) {
      // Introspection is allowed or not as a whole (GATEWAY_INTROSPECTION); its documents are deep by design.
      if (selection.name.value === '__schema' || selection.name.value === '__type') continue;
      const children = selection.selectionSet ? measure(selection.selectionSet, fragment, seen) : null;
      total.fields += 1 + (children?.fields ?? 0);
      total.aliases += (selection.alias ? 1 : 0) + (children?.aliases ?? 0);
      total.depth = Math.max(total.depth, 1 + (children?.depth ?? 0));
      continue;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) inner = measure(selection.selectionSet, fragment, seen);
    else {
      const name = selection.name.value;
      const definition = seen.has(name) ? null : fragment(name);
      // A fragment spread inside itself is the validator's NoFragmentCycles error, not ours.
      if (definition) inner = measure(definition.selectionSet, fragment, new Set([...seen, name]));
    }
    if (inner) {
      total.fields += inner.fields;
      total.aliases += inner.aliases;
      total.depth = Math.max(total.depth, inner.depth);
    }
  }
  return total;
}

/**
 * Validation rules that refuse an operation too deep, with too many aliases, or selecting too many
 * fields, before anything runs. Each error names the limit and the variable that sets it.
 */
export function queryLimitRules(
  limits: Pick<GatewayLimits, 'maxDepth' | 'maxAliases' | 'maxComplexity'>,
): ValidationRule[] {
  const rule =
    (check: (found: Measure, operation: string) => string | null): ValidationRule =>
    (context: ValidationContext): ASTVisitor => ({
      OperationDefinition(node) {
        const found = measure(node.selectionSet, (name) => context.getFragment(name));
        const problem = check(found, node.name?.value ?? 'anonymous');
        if (problem) context.reportError(new GraphQLError(problem, { nodes: [node] }));
      },
    });
  return [
    rule((found, operation) =>
      found.depth > limits.maxDepth
        ? `${operation}: query depth ${found.depth} exceeds the limit of ${limits.maxDepth} (GATEWAY_MAX_DEPTH)`
        : null,
    ),
    rule((found, operation) =>
      found.aliases > limits.maxAliases
        ? `${operation}: ${found.aliases} aliases exceed the limit of ${limits.maxAliases} (GATEWAY_MAX_ALIASES)`
        : null,
    ),
    rule((found, operation) =>
      found.fields > limits.maxComplexity
        ? `${operation}: ${found.fields} selected fields exceed the complexity limit of ${limits.maxComplexity} (GATEWAY_MAX_COMPLEXITY)`
        : null,
    ),
  ];
}
