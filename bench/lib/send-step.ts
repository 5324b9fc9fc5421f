/**
 * Runs one logical request of a workload step by step over HTTP, outside any load run: for the
 * warm-up check, for exact call counts, and to learn how a step's request depends on the answer
 * before it. Every step's answer must be a 2xx with a JSON body that passes the step's `check()`.
 */
import type { BenchRequest, BenchStep } from '../workloads/index.js';

export interface StepExchange {
  request: BenchRequest;
  status: number;
  /** Parsed JSON body. */
  body: unknown;
}

/** Sends one request and parses the answer as JSON; throws on a non-2xx or a body that is not JSON. */
export async function sendRequest(baseUrl: string, request: BenchRequest): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  if (response.status < 200 || response.status > 299) {
    throw new Error(`${request.method} ${request.path}: expected a 2xx, got ${response.status} ${text.slice(0, 500)}`);
  }
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    throw new Error(`${request.method} ${request.path}: expected a JSON body, got ${JSON.stringify(text.slice(0, 200))}`);
  }
}

/** One logical request: every step in order, each given the parsed answer of the one before. */
export async function runSteps(baseUrl: string, steps: readonly BenchStep[], unique: string, label: string): Promise<StepExchange[]> {
  const exchanges: StepExchange[] = [];
  let previous: unknown = undefined;
  for (const [index, step] of steps.entries()) {
    const where = `${label} step ${index + 1}/${steps.length}`;
    const request = step.request({ previous, unique });
    let answer: { status: number; body: unknown };
    try {
      answer = await sendRequest(baseUrl, request);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
    try {
      step.check(answer.body);
    } catch (error) {
      throw new Error(`${where}: check failed: ${(error as Error).message}; body: ${JSON.stringify(answer.body).slice(0, 500)}`);
    }
    exchanges.push({ request, ...answer });
    previous = answer.body;
  }
  return exchanges;
}
