import { describe, expect, it } from 'vitest';
import { UpstreamRejectedError } from '../../../src/errors.js';
import { formatError } from '../../../src/format-error.js';
import type { Classifier, UpstreamResponse } from '../../../src/upstreams/classification.js';
import { classifyM3ter } from '../../../src/upstreams/m3ter/classify.js';
import { classifyRevio } from '../../../src/upstreams/revio/classify.js';
import { classifyZuora } from '../../../src/upstreams/zuora/classify.js';

const inputs = (classify: Classifier, partial: Partial<UpstreamResponse>) =>
  classify({ status: 400, headers: {}, body: '', method: 'POST', attempt: 1, ...partial })?.invalidInputs;

const zuoraReasons = (code: number, ...messages: string[]) => ({ success: false, processId: 'ABCDEF0123456789', reasons: messages.map((message) => ({ code, message })) });

describe("validation answers name the caller's inputs, in the gateway's names", () => {
  it("Rev.io: from errors[].field, search filters included; unknown fields dropped", () => {
    const body = { ok: false, message: 'The request is invalid: no CUSTOMER with id 9 exists', errors: [{ field: 'internal_id', message: 'no CUSTOMER with id 9 exists' }, { field: 'mystery', message: 'x' }] };
    expect(inputs(classifyRevio, { body })).toEqual(['internalId']);
    expect(inputs(classifyRevio, { body: { ok: false, message: 'x', errors: [{ field: 'search.external_id', message: 'x' }, { field: 'integration_system_id', message: 'x' }] } })).toEqual(['externalId', 'externalSystem']);
    expect(inputs(classifyRevio, { body: { ok: false, message: 'internal_id is wrong' } })).toBeUndefined();
  });

  it('m3ter: from the field that starts the message, never from a message about the whole mapping', () => {
    expect(inputs(classifyM3ter, { body: { message: 'm3terEntity must be one of the configured entities (Account), got "X"' } })).toEqual(['internalType']);
    expect(inputs(classifyM3ter, { body: { message: 'm3terId is required' } })).toEqual(['internalId']);
    expect(inputs(classifyM3ter, { body: { message: 'an External Mapping with the same m3terEntity, m3terId, externalSystem, externalTable and externalId already exists: 1' } })).toBeUndefined();
    expect(inputs(classifyM3ter, { body: { message: 'version mismatch: the mapping is at version 2' } })).toBeUndefined();
  });

  it('Zuora: from the field names in a validation reason (category 2x) only', () => {
    expect(inputs(classifyZuora, { status: 200, body: zuoraReasons(50000020, 'targetEntityId must be at most 32 characters') })).toEqual(['targetEntityId']);
    expect(inputs(classifyZuora, { status: 200, body: zuoraReasons(50000022, 'missing required field(s): targetEntityId') })).toEqual(['targetEntityId']);
    expect(inputs(classifyZuora, { status: 200, body: zuoraReasons(50000040, 'targetEntityId names no entity') })).toBeUndefined();
  });

  it('reaches the client as extensions.invalidInputs and a message in our words', () => {
    const error = new UpstreamRejectedError({ vendor: 'revio', operation: 'createKeyLink', status: 400, retryable: false, attempts: 1, invalidInputs: ['internalId'] });
    const formatted = formatError({ message: 'x' }, error);
    expect(formatted.message).toBe('revio createKeyLink: upstream rejected the input, naming internalId (HTTP 400, 1 attempt)');
    expect(formatted.extensions).toEqual({ code: 'BAD_USER_INPUT', invalidInputs: ['internalId'], upstream: { vendor: 'revio', retryable: false } });
  });
});
