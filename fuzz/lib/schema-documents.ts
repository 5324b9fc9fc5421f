/**
 * Documents generated from the real schema (`schema/*.graphql`, read with graphql-js): operations
 * over Query and Mutation fields, with arguments drawn from the seed's ids, then bent into the
 * shapes that have broken gateways before: several operations (anonymous and named mixed),
 * fragments (unused, cyclic), many aliases, directives (`@include`/`@skip` on variables, unknown
 * ones) and variables (declared, undeclared, wrong types, huge, deeply nested).
 *
 * Generation goes through `fc.gen()`, so every draw is fast-check's: seeded, replayable, shrunk.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { SCHEMA_FILES } from '../../src/server.js';
import type { ValuePools } from './fuzz-world.js';

export type OperationType = 'query' | 'mutation';

export interface GeneratedOperation {
  type: OperationType;
  /** Undefined: anonymous. */
  name: string | undefined;
  /** Response keys of the root selection (aliases included). */
  rootKeys: string[];
}

export interface GeneratedDocument {
  text: string;
  operations: GeneratedOperation[];
  /** Variables for every operation of the document, by name. */
  variables: Record<string, unknown>;
  /** Which mutation of the document shape was applied (reported with a failure). */
  shape: DocumentShape;
}

export const DOCUMENT_SHAPES = ['single', 'several', 'fragments', 'cyclic-fragments', 'aliases', 'directives', 'bad-variables'] as const;
export type DocumentShape = (typeof DOCUMENT_SHAPES)[number];

type Gen = fc.GeneratorValue;

export function loadSchema(): GraphQLSchema {
  return buildSchema(SCHEMA_FILES.map((file) => readFileSync(new URL(`../../schema/${file}`, import.meta.url), 'utf8')).join('\n'));
}

/** An arbitrary document over `schema`, arguments drawn from `pools`; `hostile`: one of the bent shapes, else a single operation. */
export function documentArbitrary(schema: GraphQLSchema, pools: ValuePools, hostile: boolean): fc.Arbitrary<GeneratedDocument> {
  return fc.gen().map((g) => new DocumentBuilder(schema, pools, g, hostile).build());
}

class DocumentBuilder {
  private readonly variableDefinitions = new Map<string, string[]>();
  private readonly variables: Record<string, unknown> = {};
  private nextVariable = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly pools: ValuePools,
    private readonly g: Gen,
    private readonly hostile: boolean,
  ) {}

  build(): GeneratedDocument {
    const { g } = this;
    const shape = this.hostile ? g(fc.constantFrom, ...DOCUMENT_SHAPES.filter((candidate) => candidate !== 'single')) : 'single';
    const count = shape === 'several' ? g(fc.integer, { min: 2, max: 3 }) : 1;
    const operations: GeneratedOperation[] = [];
    const texts: string[] = [];
    const extra: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const type: OperationType = g(fc.boolean) ? 'mutation' : 'query';
      // Anonymous only where it could be legal (alone), or now and then as a mixed document.
      const anonymous = count === 1 ? g(fc.boolean) : g(fc.integer, { min: 0, max: 4 }) === 0;
      const name = anonymous ? undefined : `${type === 'query' ? 'Q' : 'M'}${index}${g(fc.constantFrom, '', 'Op')}`;
      const opKey = `op${index}`;
      this.variableDefinitions.set(opKey, []);
      const selections = this.rootSelections(type, shape, opKey);
      const spreadKeys: string[] = [];
      if (shape === 'fragments' && type === 'query') {
        const used = g(fc.boolean);
        extra.push(`fragment F${index} on Query { __typename }`);
        if (used) {
          selections.push(`...F${index}`);
          spreadKeys.push('__typename');
        }
      }
      if (shape === 'cyclic-fragments') {
        extra.push(`fragment C${index}a on ${type === 'query' ? 'Query' : 'Mutation'} { ...C${index}b }`, `fragment C${index}b on ${type === 'query' ? 'Query' : 'Mutation'} { ...C${index}a }`);
        selections.push(`...C${index}a`);
      }
      const definitions = this.variableDefinitions.get(opKey)!;
      const head = name === undefined && definitions.length === 0 && type === 'query' && g(fc.boolean) ? '' : `${type}${name ? ` ${name}` : ''}${definitions.length ? `(${definitions.join(', ')})` : ''} `;
      texts.push(`${head}{ ${selections.join(' ')} }`);
      operations.push({ type, name, rootKeys: [...selections.filter((s) => !s.startsWith('...')).map((s) => /^(\w+)/.exec(s)![1]!), ...spreadKeys] });
    }
    return { text: [...texts, ...extra].join('\n'), operations, variables: this.variables, shape };
  }

  private rootSelections(type: OperationType, shape: DocumentShape, opKey: string): string[] {
    const { g } = this;
    const root = type === 'query' ? this.schema.getQueryType()! : this.schema.getMutationType()!;
    const fields = Object.values(root.getFields());
    // Names are drawn, not field objects: fast-check compares drawn values, and schema objects are cyclic.
    const picked = (g(fc.uniqueArray, fc.constantFrom(...fields.map((field) => field.name)), { minLength: 1, maxLength: type === 'mutation' ? 1 : 2 }) as string[]).map((name) => root.getFields()[name]!);
    const selections: string[] = [];
    for (const field of picked) {
      const copies = shape === 'aliases' ? g(fc.integer, { min: 2, max: type === 'mutation' ? 3 : 40 }) : 1;
      const body = `${field.name}${this.argumentsOf(field, shape, opKey)}${this.directive(shape, opKey)}${this.selectionOf(field.type, 0)}`;
      for (let copy = 0; copy < copies; copy += 1) selections.push(copies > 1 || g(fc.integer, { min: 0, max: 5 }) === 0 ? `a${copy}_${field.name}: ${body}` : body);
    }
    return selections;
  }

  private argumentsOf(field: GraphQLField<unknown, unknown>, shape: DocumentShape, opKey: string): string {
    const { g } = this;
    const parts: string[] = [];
    for (const arg of field.args) {
      if (!isNonNullType(arg.type) && !g(fc.boolean)) continue;
      const asVariable = g(fc.integer, { min: 0, max: 2 }) === 0;
      if (asVariable) {
        const variable = `v${this.nextVariable++}`;
        const badness = shape === 'bad-variables' ? g(fc.constantFrom, 'undeclared', 'wrong-type', 'huge', 'nested', 'missing') : 'none';
        if (badness !== 'undeclared') this.variableDefinitions.get(opKey)!.push(`$${variable}: ${arg.type.toString()}`);
        const value = this.value(arg.name, arg.type, 0);
        this.variables[variable] = badnessValue(badness, value.json);
        if (badness === 'missing') delete this.variables[variable];
        parts.push(`${arg.name}: $${variable}`);
      } else {
        parts.push(`${arg.name}: ${this.value(arg.name, arg.type, 0).literal}`);
      }
    }
    return parts.length ? `(${parts.join(', ')})` : '';
  }

  private directive(shape: DocumentShape, opKey: string): string {
    if (shape !== 'directives') return '';
    const { g } = this;
    const kind = g(fc.constantFrom, 'include-var', 'skip-literal', 'unknown', 'include-undeclared');
    if (kind === 'skip-literal') return ` @skip(if: ${g(fc.boolean)})`;
    if (kind === 'unknown') return ' @fuzzUnknown';
    if (kind === 'include-undeclared') return ' @include(if: $nowhere)';
    const variable = `v${this.nextVariable++}`;
    this.variableDefinitions.get(opKey)!.push(`$${variable}: Boolean!`);
    this.variables[variable] = g(fc.constantFrom, true, false, 'yes');
    return ` @include(if: $${variable})`;
  }

  /** A value for an argument or input field: from the pools by name, else by type; sometimes off-type. */
  private value(name: string, type: GraphQLInputType, depth: number): { literal: string; json: unknown } {
    const { g } = this;
    const nullable = getNullableType(type) as GraphQLInputType;
    if (isListType(nullable)) {
      const items = Array.from({ length: g(fc.integer, { min: 0, max: 2 }) }, () => this.value(name, nullable.ofType, depth + 1));
      return { literal: `[${items.map((item) => item.literal).join(', ')}]`, json: items.map((item) => item.json) };
    }
    if (isInputObjectType(nullable)) {
      const entries = Object.values(nullable.getFields())
        .filter((field) => isNonNullType(field.type) || (depth < 3 && g(fc.boolean)))
        .map((field) => [field.name, this.value(field.name, field.type, depth + 1)] as const);
      return { literal: `{ ${entries.map(([key, value]) => `${key}: ${value.literal}`).join(', ')} }`, json: Object.fromEntries(entries.map(([key, value]) => [key, value.json])) };
    }
    if (isEnumType(nullable)) {
      const value = g(fc.constantFrom, ...nullable.getValues().map((v) => v.name));
      return { literal: value, json: value };
    }
    const named = getNamedType(nullable).name;
    if (named === 'Int') {
      const value = g(fc.integer, { min: 0, max: 4 }) > 0 ? g(fc.constantFrom, 1, 2, 5) : g(fc.constantFrom, 0, -1, 501, 2 ** 31);
      return { literal: String(value), json: value };
    }
    if (named === 'Boolean') {
      const value = g(fc.boolean);
      return { literal: String(value), json: value };
    }
    const pool = this.pools.byName[name] ?? (named === 'ID' ? this.pools.ids : this.pools.strings);
    const text = g(fc.integer, { min: 0, max: 19 }) === 0 ? g(fc.string, { maxLength: 12 }) : g(fc.constantFrom, ...pool);
    return { literal: JSON.stringify(text), json: text };
  }

  /** A small selection of `type`: a few leaves, and now and then one nested object. */
  private selectionOf(type: GraphQLOutputType, depth: number): string {
    const named = getNamedType(type);
    if (isLeafType(named)) return '';
    if (isUnionType(named)) return ' { __typename }';
    const { g } = this;
    const fields = Object.values((isObjectType(named) || isInterfaceType(named) ? named : undefined)!.getFields()).filter((field) => field.args.every((arg) => !isNonNullType(arg.type)));
    const leaves = fields.filter((field) => isLeafType(getNamedType(field.type)));
    const objects = fields.filter((field) => !isLeafType(getNamedType(field.type)));
    const chosen = leaves.length ? (g(fc.uniqueArray, fc.constantFrom(...leaves.map((field) => field.name)), { minLength: 1, maxLength: 2 }) as string[]) : ['__typename'];
    if (depth < 2 && objects.length && g(fc.boolean)) {
      const nested = objects[g(fc.nat, { max: objects.length - 1 })]!;
      chosen.push(`${nested.name}${this.selectionOf(nested.type, depth + 1)}`);
    }
    return ` { ${chosen.join(' ')} }`;
  }
}

/** Stands for a list 5,000 levels deep inside generated variables. */
export const DEEP_MARKER = '\u0000deep-5000\u0000';

/** JSON text with each deep marker replaced by the nested list it stands for. */
export function expandDeep(json: string): string {
  return json.split(JSON.stringify(DEEP_MARKER)).join(`${'['.repeat(5_000)}1${']'.repeat(5_000)}`);
}

function badnessValue(badness: string, value: unknown): unknown {
  switch (badness) {
    case 'wrong-type':
      return typeof value === 'string' ? { not: 'a string' } : 'not-the-type';
    case 'huge':
      return 'h'.repeat(200_000);
    case 'nested':
      // Expanded only when written on the wire (`expandDeep`): fast-check compares generated
      // values recursively, and a 5,000-deep array overflows its stack.
      return DEEP_MARKER;
    default:
      return value;
  }
}
