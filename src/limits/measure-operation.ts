/**
 * What a document asks for, measured once before it runs: depth, aliases and directives by
 * graphql-armor's rules (run as measures, with no limit of their own, so each key's limit can be
 * applied to the same numbers), root fields, and the cost estimate. `__schema` does not count
 * towards depth (a client's introspection query nests type references ten deep); it is bounded
 * by its cost like any other field, which stops a self-nesting introspection query.
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { Kind, validate, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { operationCost } from './operation-cost.js';

export interface OperationMeasures {
  depth: number;
  aliases: number;
  rootFields: number;
  directives: number;
  cost: number;
}

const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/**
 * Apollo keeps each parsed document and hands the same object to every request that sends the
 * same text, so the shape's measures are kept with it: a client repeating one query pays for the
 * walks once. The cost depends on numeric variables too (`first`), so it is kept per their
 * values, a few per document.
 */
const shapes = new WeakMap<DocumentNode, Map<OperationDefinitionNode, Omit<OperationMeasures, 'cost'> & { costs: Map<string, number> }>>();
const COSTS_PER_DOCUMENT = 32;

export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): OperationMeasures {
  let byOperation = shapes.get(document);
  if (byOperation === undefined) shapes.set(document, (byOperation = new Map()));
  let shape = byOperation.get(operation);
  if (shape === undefined) byOperation.set(operation, (shape = { ...measureShape(schema, document, operation), costs: new Map() }));
  // Only numbers change the estimate (`first`); ids and strings would only make the key long.
  const key = JSON.stringify(Object.entries(variables).filter(([, value]) => typeof value === 'number'));
  let cost = shape.costs.get(key);
  if (cost === undefined) {
    cost = operationCost(schema, document, variables, operation.name?.value);
    if (shape.costs.size >= COSTS_PER_DOCUMENT) shape.costs.delete(shape.costs.keys().next().value!);
    shape.costs.set(key, cost);
  }
  const { costs: _costs, ...measures } = shape;
  return { ...measures, cost };
}

function measureShape(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): Omit<OperationMeasures, 'cost'> {
  const measured = { depth: 0, aliases: 0, directives: 0 };
  const keep = (name: keyof typeof measured) => [(_context: unknown, found: { n: number }) => void (measured[name] = Math.max(measured[name], found.n))];
  validate(schema, document, [
    maxDepthRule({ n: UNBOUNDED, onAccept: keep('depth'), ignoreIntrospection: true, flattenFragments: true }),
    maxAliasesRule({ n: UNBOUNDED, onAccept: keep('aliases') }),
    maxDirectivesRule({ n: UNBOUNDED, onAccept: keep('directives') }),
  ]);
  // Root fields as the operation lists them, inline fragments at the root included.
  let rootFields = 0;
  const count = (selections: OperationDefinitionNode['selectionSet']['selections']): void => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) rootFields += 1;
      else if (selection.kind === Kind.INLINE_FRAGMENT) count(selection.selectionSet.selections);
      else {
        const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
        if (fragment?.kind === Kind.FRAGMENT_DEFINITION) count(fragment.selectionSet.selections);
      }
    }
  };
  count(operation.selectionSet.selections);
  return { ...measured, rootFields };
}
