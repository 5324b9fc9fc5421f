/**
 * Rev.io's section of the configuration: one API user and APIM subscription key per client code,
 * and the names of the integration systems that stand for Zuora and m3ter in key links.
 */
import { setting } from '../../config/setting.js';
import { word, type ValueParser } from '../../lib/config-values.js';
import { defineVendorSettings } from '../vendor-settings.js';

const systemName = word('a Rev.io integration system name (no spaces)', { max: 64 });

/**
 * `<client code>=<SYSTEM>+<SYSTEM>;…`: per Rev.io client, the external systems whose records both
 * m3ter and Rev.io must link. The client code names the tenant pair because a Rev.io client and
 * its m3ter org are configured together; system names compare case-insensitively.
 */
export const bothProvidersParser: ValueParser<Readonly<Record<string, readonly string[]>>> = {
  expected: 'entries `<client code>=<SYSTEM>[+<SYSTEM>…]` separated by `;` (e.g. `acmetel=SALESFORCE+ZUORA`)',
  parse(raw) {
    if (typeof raw !== 'string') return undefined;
    const declared: Record<string, string[]> = {};
    for (const entry of raw.split(';').map((part) => part.trim()).filter((part) => part !== '')) {
      const match = /^([^\s=;+]{1,64})=([^\s=;+]{1,64}(?:\+[^\s=;+]{1,64})*)$/.exec(entry);
      if (match === null) return undefined;
      declared[match[1]!.toLowerCase()] = match[2]!.split('+').map((system) => system.toLowerCase());
    }
    return declared;
  },
};

export const REVIO_SETTINGS = defineVendorSettings({
  name: 'revio',
  label: 'Rev.io',
  url: { env: 'INTERLINK_REVIO_URL', example: 'https://restapi.rev.io' },
  tenant: {
    clientCode: { env: 'INTERLINK_REVIO_CLIENT_CODE', parser: word('a Rev.io client code (no spaces)'), description: 'Rev.io client code.' },
    // Rev.io refuses email addresses as API logins.
    login: { env: 'INTERLINK_REVIO_LOGIN', parser: word('a Rev.io login that is not an email address', { notEmail: true }), description: 'Rev.io API user (not an email address).' },
    password: { env: 'INTERLINK_REVIO_PASSWORD', parser: word('a Rev.io password (no spaces)', { secret: true }), description: "Rev.io API user's password." },
    subscriptionKey: {
      env: 'INTERLINK_REVIO_SUBSCRIPTION_KEY',
      parser: word('a Rev.io APIM subscription key (no spaces)', { secret: true }),
      description: 'Rev.io APIM subscription key.',
    },
  },
  grant: { parser: word('a Rev.io client code (no spaces)'), plural: 'Rev.io client codes' },
  identity: 'clientCode',
  limitedPer: 'Rev.io key',
  vendorLimit: 'the vendor allows 500/min',
  // About 8/s per key (the vendor allows 500/min); 8 in flight matches that rate.
  limits: { concurrency: 8, ratePerSecond: 8 },
  sections: {
    // Read by the link audit: systems a tenant keeps in both providers (ONE_SIDED findings).
    revioAudit: {
      bothProviders: setting({
        env: 'INTERLINK_REVIO_AUDIT_BOTH_PROVIDERS',
        file: 'revio.audit.bothProviders',
        parser: bothProvidersParser,
        default: {},
        shownDefault: 'none',
        description: 'Per Rev.io client code, the external systems m3ter and Rev.io must both link, e.g. `acmetel=SALESFORCE;globextel=SALESFORCE+ZUORA`; the link audit reports a record linked in one only as ONE_SIDED.',
      }),
    },
    // Resolved to system ids at startup: key links name the other side by integration system.
    revioSystems: {
      zuora: setting({
        env: 'INTERLINK_REVIO_SYSTEM_ZUORA',
        file: 'revio.systemNames.zuora',
        parser: systemName,
        default: 'ZUORA',
        description: 'Rev.io integration-system name that means Zuora.',
      }),
      m3ter: setting({
        env: 'INTERLINK_REVIO_SYSTEM_M3TER',
        file: 'revio.systemNames.m3ter',
        parser: systemName,
        default: 'M3TER',
        description: 'Rev.io integration-system name that means m3ter.',
      }),
    },
  },
});
