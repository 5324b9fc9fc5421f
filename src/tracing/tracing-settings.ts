/**
 * `config.tracing`: OpenTelemetry's standard variables, read here like every other setting and
 * handed to the SDK explicitly. Tracing is on when an OTLP endpoint is set and the SDK is not
 * disabled. The exporter itself still reads OTEL_EXPORTER_OTLP_HEADERS and _TIMEOUT.
 */
import { oneOf, onOff, word, type ValueParser } from '../lib/config-values.js';
import { httpUrl } from '../callers/jwt-settings.js';
import { setting } from '../config/setting.js';

export const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
export type SamplerName = (typeof SAMPLERS)[number];

const ratio: ValueParser<number> = {
  expected: 'a number from 0 to 1',
  parse(raw) {
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    return Number.isFinite(value) && value >= 0 && value <= 1 ? value : undefined;
  },
};

export const TRACING_SETTINGS = {
  endpoint: setting({
    env: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    parser: httpUrl,
    shownDefault: 'none (no tracing)',
    description: 'OTLP/HTTP collector base URL; traces go to `<url>/v1/traces` (see [Tracing](#tracing)).',
  }),
  tracesEndpoint: setting({ env: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', parser: httpUrl, shownDefault: 'none', description: 'Full OTLP/HTTP traces URL; wins over the base URL.' }),
  serviceName: setting({ env: 'OTEL_SERVICE_NAME', parser: word('a service name (no spaces)', { max: 128 }), default: 'interlink', description: "The traces' `service.name`." }),
  sampler: setting({ env: 'OTEL_TRACES_SAMPLER', parser: oneOf(SAMPLERS), default: 'parentbased_always_on', description: `Which requests are traced: ${SAMPLERS.map((name) => `\`${name}\``).join(', ')}.` }),
  samplerArg: setting({ env: 'OTEL_TRACES_SAMPLER_ARG', parser: ratio, default: 1, description: 'The share of traces the `traceidratio` samplers keep.' }),
  disabled: setting({ env: 'OTEL_SDK_DISABLED', parser: onOff, default: false, description: 'Turns tracing off even with an endpoint set.' }),
};
