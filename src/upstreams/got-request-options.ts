/**
 * got builds the options it hands to `http.request` (`Options#createNativeRequestOptions`) as one
 * object literal that spreads `cacheOptions` and the unix-socket options before ~30 named
 * properties. Node 20's V8 cannot keep such an object in fast mode: past a dozen properties added
 * after a spread it turns it into a dictionary, on every call. That one literal cost ~50 µs and
 * a tenth of the gateway's garbage under W1 (bench:ab figures: README, "CPU per request").
 *
 * `useFastRequestOptions` replaces that method with one that builds the same object the fast
 * way: the named properties as a literal, then the spread objects assigned onto it. None of their
 * keys is a named one, so every key keeps its value. HTTP/2 and a `pfx` array, which Interlink
 * never uses, still take got's own path. test/unit/upstreams/got-request-options.test.ts holds
 * the result equal to got's for every option shape, so a got upgrade that changes the method
 * fails there.
 */
import { checkServerIdentity } from 'node:tls';
import { Options } from 'got';

/** The fields of got's `Options` the method reads (private in its types). */
interface OptionsFields {
  _internals: Record<string, any>;
  _unixOptions: Record<string, unknown> | undefined;
}

const gotsOwn = Options.prototype.createNativeRequestOptions;
let installed = false;

/** Installs the fast method on got's `Options` (once; later calls do nothing). */
export function useFastRequestOptions(): void {
  if (installed) return;
  installed = true;
  Options.prototype.createNativeRequestOptions = function createNativeRequestOptions(this: Options) {
    return fastRequestOptions(this);
  } as typeof gotsOwn;
}

/** got's own method, for the equivalence test. */
export function gotsRequestOptions(options: Options): ReturnType<typeof gotsOwn> {
  return gotsOwn.call(options);
}

/** The options `createNativeRequestOptions` returns, built without a spread before named properties. */
export function fastRequestOptions(options: Options): ReturnType<typeof gotsOwn> {
  const { _internals: internals, _unixOptions: unixOptions } = options as unknown as OptionsFields;
  const { https } = internals;
  if (internals.http2 || Array.isArray(https.pfx)) return gotsOwn.call(options);
  const url = internals.url as URL | undefined;
  const agent = url?.protocol === 'https:' ? internals.agent.https : internals.agent.http;
  const result = {
    ALPNProtocols: https.alpnProtocols,
    ca: https.certificateAuthority,
    cert: https.certificate,
    key: https.key,
    passphrase: https.passphrase,
    pfx: https.pfx,
    rejectUnauthorized: https.rejectUnauthorized,
    checkServerIdentity: https.checkServerIdentity ?? checkServerIdentity,
    servername: https.serverName,
    ciphers: https.ciphers,
    honorCipherOrder: https.honorCipherOrder,
    minVersion: https.minVersion,
    maxVersion: https.maxVersion,
    sigalgs: https.signatureAlgorithms,
    sessionTimeout: https.tlsSessionLifetime,
    dhparam: https.dhparam,
    ecdhCurve: https.ecdhCurve,
    crl: https.certificateRevocationLists,
    secureOptions: https.secureOptions,
    lookup: internals.dnsLookup ?? internals.dnsCache?.lookup,
    family: internals.dnsLookupIpVersion,
    agent,
    setHost: internals.setHost,
    method: internals.method,
    maxHeaderSize: internals.maxHeaderSize,
    localAddress: internals.localAddress,
    headers: internals.headers,
    createConnection: internals.createConnection,
    timeout: undefined,
    h2session: internals.h2session,
  };
  // got spreads these first, so a named property would win over them; none shares a key with one.
  Object.assign(result, internals.cacheOptions);
  if (unixOptions !== undefined) Object.assign(result, unixOptions);
  return result as unknown as ReturnType<typeof gotsOwn>;
}
