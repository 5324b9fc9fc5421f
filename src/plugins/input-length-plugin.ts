import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { BadUserInputError } from '../errors.js';
import { httpGraphQLError } from '../http/http-graphql-error.js';

export interface InputLengthPluginOptions {
  /** Longest string input, in UTF-8 bytes. Default 2,048: no external id, name or cursor comes near it. */
  maxStringBytes?: number;
  /** Longest `ID` input, in UTF-8 bytes. Default 256: a global id is under 150. */
  maxIdBytes?: number;
}

export const DEFAULT_MAX_STRING_BYTES = 2_048;
export const DEFAULT_MAX_ID_BYTES = 256;

/**
 * Refuses an operation whose string inputs are too long, in literal arguments and in variables
 * alike, before any resolver runs (so before any vendor call): BAD_USER_INPUT, HTTP 400, naming
 * the argument (`externalLinks.filter.externalId`, or `$id` for a variable) and never repeating
 * the value. Without it a 100 KB filter went into a vendor URL and came back as the vendor's 431.
 * Bytes, not characters: percent-encoded into a URL, a byte is at most three characters, so
 * inputs under the caps stay well within what the vendors' servers accept.
 */
export function inputLengthPlugin<TContext extends BaseContext>({ maxStringBytes = DEFAULT_MAX_STRING_BYTES, maxIdBytes = DEFAULT_MAX_ID_BYTES }: InputLengthPluginOptions = {}): ApolloServerPlugin<TContext> {
  const capOf = (type: GraphQLInputType): number => (getNamedType(type).name === 'ID' ? maxIdBytes : maxStringBytes);
  const check = (value: string, type: GraphQLInputType, where: string, field?: string): void => {
    // An empty id would be one shared key for every client that sends "" for none.
    if (field === 'clientMutationId' && value.trim() === '') {
      throw httpGraphQLError(new BadUserInputError(`${where} must not be empty; leave clientMutationId out to write without one, or send a new id for each change`));
    }
    const cap = capOf(type);
    // Cheap first: a string of n characters has at least n and at most 3n UTF-8 bytes.
    if (value.length * 3 <= cap) return;
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > cap) throw httpGraphQLError(new BadUserInputError(`${where} is ${bytes} bytes long; at most ${cap} are accepted`));
  };
  // Per plugin: a plan depends on this plugin's caps.
  const plans = new WeakMap<DocumentNode, DocumentPlan>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, request }) {
          checkDocument(plans, schema, document, request.variables ?? {}, check);
        },
      };
    },
  };
}

/** `field`: the input field or argument the value is given for, when known. */
type Check = (value: string, type: GraphQLInputType, where: string, field?: string) => void;

/**
 * What to check in one document: its string literals that are over a cap (fixed by the text), and
 * each variable's first use with its input type. Apollo reuses the parsed document for every
 * request that sends the same text, so the walk is made once per document; a request then checks
 * only its variables' values.
 */
interface DocumentPlan {
  /** The first literal over its cap, kept to refuse it again with a fresh error. */
  oversized?: { value: string; type: GraphQLInputType; where: string; field?: string };
  variables: { name: string; type: GraphQLInputType; field?: string }[];
}

/** Every string literal in an argument, and every variable's value where it is used, against its input type. */
function checkDocument(plans: WeakMap<DocumentNode, DocumentPlan>, schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, check: Check): void {
  let plan = plans.get(document);
  if (plan === undefined) plans.set(document, (plan = planOf(schema, document, check)));
  if (plan.oversized !== undefined) check(plan.oversized.value, plan.oversized.type, plan.oversized.where, plan.oversized.field);
  for (const { name, type, field } of plan.variables) checkValue(variables[name], type, `$${name}`, check, field);
}

function planOf(schema: GraphQLSchema, document: DocumentNode, check: Check): DocumentPlan {
  const plan: DocumentPlan = { variables: [] };
  const typeInfo = new TypeInfo(schema);
  const seen = new Set<string>();
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      StringValue(node, _key, parent, _path, ancestors) {
        const type = typeInfo.getInputType();
        if (!type || plan.oversized !== undefined) return;
        const where = argumentPath([...ancestors, ...(parent === undefined ? [] : [parent])]);
        const field = fieldNameOf(parent);
        try {
          check(node.value, type, where, field);
        } catch {
          plan.oversized = { value: node.value, type, where, ...(field === undefined ? {} : { field }) };
        }
      },
      Variable(node, _key, parent) {
        // A variable's definition (`$id: ID!`) is not a use; its value is checked where it is used.
        if (isNode(parent) && parent.kind === Kind.VARIABLE_DEFINITION) return;
        const type = typeInfo.getInputType();
        const name = node.name.value;
        if (!type || seen.has(name)) return;
        seen.add(name);
        const field = fieldNameOf(parent);
        plan.variables.push({ name, type, ...(field === undefined ? {} : { field }) });
      },
    }),
  );
  return plan;
}

/** Follows the input type, not the value, so a deeply nested value costs no more than its type allows. */
function checkValue(value: unknown, type: GraphQLInputType, where: string, check: Check, field?: string): void {
  if (value === null || value === undefined) return;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    if (Array.isArray(value)) value.forEach((item, index) => checkValue(item, inner.ofType, `${where}[${index}]`, check, field));
    else checkValue(value, inner.ofType, where, check, field);
    return;
  }
  if (isInputObjectType(inner)) {
    if (typeof value !== 'object' || Array.isArray(value)) return;
    for (const [name, field] of Object.entries(inner.getFields())) {
      if (Object.hasOwn(value, name)) checkValue((value as Record<string, unknown>)[name], field.type, `${where}.${name}`, check, name);
    }
    return;
  }
  // Any leaf: a string sent for an Int or an enum is echoed in GraphQL's coercion error, so it is capped too.
  if (typeof value === 'string') check(value, inner, where, field);
}

/** The argument or input field a literal or variable is given for (`clientMutationId` in `{ clientMutationId: $m }`). */
function fieldNameOf(parent: unknown): string | undefined {
  return isNode(parent) && (parent.kind === Kind.ARGUMENT || parent.kind === Kind.OBJECT_FIELD) ? parent.name.value : undefined;
}

/** `field.argument.inputField…` from the literal's ancestors, e.g. `externalLinks.filter.externalId`. */
function argumentPath(ancestors: readonly (ASTNode | readonly ASTNode[])[]): string {
  const parts: string[] = [];
  for (const ancestor of ancestors) {
    if (!isNode(ancestor)) continue;
    if (ancestor.kind === Kind.FIELD) parts.splice(0, parts.length, ancestor.name.value);
    else if (ancestor.kind === Kind.DIRECTIVE) parts.splice(0, parts.length, `@${ancestor.name.value}`);
    else if (ancestor.kind === Kind.ARGUMENT || ancestor.kind === Kind.OBJECT_FIELD) parts.push(ancestor.name.value);
  }
  return parts.join('.') || 'an argument';
}

function isNode(value: unknown): value is ASTNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'kind' in value;
}
