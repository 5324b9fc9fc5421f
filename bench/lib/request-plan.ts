/**
 * Turns a workload's steps for one target into a plan wrk's Lua can replay without calling the
 * TypeScript builders: request templates whose slots are the iteration's unique string (slot 0)
 * or values taken from the answer to the first step (slots 1…, by JSON path).
 *
 * The plan is learned from real exchanges and then verified: two iterations with different
 * uniques are built both by the builders and from the templates, and must come out identical.
 * When they do not (a builder transforms an id, or a step needs something the answer does not
 * hold), the plan is `native` and the load runs through autocannon, which calls the builders.
 */
import type { BenchRequest, BenchStep } from '../workloads/index.js';
import { runSteps } from './send-step.js';

/** Literal text and slots; slot 0 is the unique string, slot n ≥ 1 is `RequestPlan.chain.paths[n - 1]`. */
export type Template = (string | { slot: number })[];

export interface RequestTemplate {
  method: string;
  path: Template;
  headers: Record<string, Template>;
  body: Template;
}

export type JsonPath = (string | number)[];

export type RequestPlan =
  | { kind: 'single'; request: RequestTemplate }
  | {
      kind: 'chain';
      first: RequestTemplate;
      second: RequestTemplate;
      /** Where, in the first step's JSON answer, the values for slots 1… are. */
      paths: JsonPath[];
    }
  | { kind: 'native'; reason: string };

/** Per-run unique strings: a random tag and a counter, lower-case letters and digits only. */
export function uniqueTag(): string {
  return `b${Math.random().toString(36).slice(2, 10).padEnd(8, '0')}`;
}

export function uniqueString(tag: string, n: number): string {
  return `${tag}x${n}`;
}

/**
 * Learns the plan for `steps`. Chains are run twice for real (and checked), so the target must
 * be up; a single step is only built, never sent.
 */
export async function learnPlan(baseUrl: string, steps: readonly BenchStep[], label: string): Promise<RequestPlan> {
  const tag = uniqueTag();
  const [u1, u2] = [uniqueString(tag, 1), uniqueString(tag, 2)];
  const [first, second] = steps;
  if (!first) throw new Error(`${label}: the workload has no steps`);
  if (steps.length > 2) return { kind: 'native', reason: `${steps.length} steps (the wrk script replays one or two)` };

  if (!second) {
    const a = first.request({ previous: undefined, unique: u1 });
    const b = first.request({ previous: undefined, unique: u2 });
    const template = templateOf(a, [{ value: u1, slot: 0 }]);
    if (!sameRequest(render(template, [u2]), b)) return { kind: 'native', reason: 'the request does not vary with the unique string by plain substitution' };
    return { kind: 'single', request: template };
  }

  const one = await runSteps(baseUrl, steps, u1, `${label} (plan, iteration 1)`);
  const two = await runSteps(baseUrl, steps, u2, `${label} (plan, iteration 2)`);
  const firstTemplate = templateOf(one[0]!.request, [{ value: u1, slot: 0 }]);
  if (!sameRequest(render(firstTemplate, [u2]), two[0]!.request)) {
    return { kind: 'native', reason: 'the first step does not vary with the unique string by plain substitution' };
  }
  // Values that differ between the two first answers are what the second step may need.
  const leavesOne = leaves(one[0]!.body);
  const leavesTwo = new Map(leaves(two[0]!.body).map(([path, value]) => [JSON.stringify(path), value]));
  const secondText = requestText(one[1]!.request);
  const dynamic = leavesOne.filter(([path, value]) => leavesTwo.get(JSON.stringify(path)) !== value && wholeValue(value).test(secondText));
  const paths = dynamic.map(([path]) => path);
  const secondTemplate = templateOf(
    one[1]!.request,
    dynamic.map(([, value], index) => ({ value, slot: index + 1, whole: true })),
  );
  if (requestText(render(secondTemplate, [])).includes(u1)) {
    return { kind: 'native', reason: 'the second step uses the unique string, which the first answer does not echo' };
  }
  const valuesTwo = paths.map((path) => leafAt(two[0]!.body, path)!);
  if (!sameRequest(render(secondTemplate, [u2, ...valuesTwo]), two[1]!.request)) {
    return { kind: 'native', reason: 'the second step does not follow from the first answer by plain substitution' };
  }
  // The Lua script tells answers apart by whether every path is present: a second-step answer must not be.
  if (paths.length === 0 || paths.every((path) => leafAt(one[1]!.body, path) !== undefined)) {
    return { kind: 'native', reason: 'first- and second-step answers cannot be told apart by shape' };
  }
  return { kind: 'chain', first: firstTemplate, second: secondTemplate, paths };
}

/** String and number leaves of a JSON value with their paths (numbers as JSON writes them). */
export function leaves(value: unknown, path: JsonPath = [], out: [JsonPath, string][] = []): [JsonPath, string][] {
  if (typeof value === 'string' && value.length > 0) out.push([path, value]);
  else if (typeof value === 'number' && Number.isFinite(value)) out.push([path, String(value)]);
  else if (Array.isArray(value)) value.forEach((item, index) => leaves(item, [...path, index], out));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) leaves(item, [...path, key], out);
  return out;
}

export function leafAt(value: unknown, path: JsonPath): string | undefined {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return typeof node === 'string' || typeof node === 'number' ? String(node) : undefined;
}

/**
 * Matches `value` only where it stands alone (not inside a longer id or word), as an answer's
 * value does in the next request: `{"id":57}`, `"id":"57"`, `/57`. A short id such as 57 must not
 * match inside `157` or `bench-b57x1`.
 */
function wholeValue(value: string): RegExp {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![A-Za-z0-9_-])${escaped}(?![A-Za-z0-9_-])`, 'g');
}

/** `whole`: substitute standalone occurrences only (answer values); otherwise every occurrence (the unique string). */
function templateOf(request: BenchRequest, substitutions: { value: string; slot: number; whole?: boolean }[]): RequestTemplate {
  // Longest first, so a short value never splits a longer one that contains it.
  const ordered = [...substitutions].sort((a, b) => b.value.length - a.value.length);
  const split = (text: string): Template =>
    ordered.reduce<Template>(
      (parts, { value, slot, whole }) =>
        parts.flatMap((part) =>
          typeof part !== 'string' ? [part] : part.split(whole ? wholeValue(value) : value).flatMap((piece, i) => (i === 0 ? [piece] : [{ slot }, piece])),
        ),
      [text],
    ).filter((part) => part !== '');
  return {
    method: request.method,
    path: split(request.path),
    headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, split(value)])),
    body: split(request.body),
  };
}

function renderTemplate(template: Template, values: readonly string[]): string {
  return template.map((part) => (typeof part === 'string' ? part : (values[part.slot] ?? `{slot ${part.slot}}`))).join('');
}

export function render(template: RequestTemplate, values: readonly string[]): BenchRequest {
  return {
    method: template.method as 'POST',
    path: renderTemplate(template.path, values),
    headers: Object.fromEntries(Object.entries(template.headers).map(([name, value]) => [name, renderTemplate(value, values)])),
    body: renderTemplate(template.body, values),
  };
}

function requestText(request: BenchRequest): string {
  return JSON.stringify([request.method, request.path, request.headers, request.body]);
}

function sameRequest(a: BenchRequest, b: BenchRequest): boolean {
  const sorted = (r: BenchRequest) => JSON.stringify([r.method, r.path, Object.entries(r.headers).sort(), r.body]);
  return sorted(a) === sorted(b);
}
