import { SAMPLE_QUERY_ONE_LINE } from './sample-query.js';

export interface StartBannerOptions {
  /** The gateway's base URL, e.g. http://127.0.0.1:4000. */
  url: string;
  mode: 'sandbox' | 'upstream';
  /** Sandbox mode's development API key; printed once, here, and never logged. */
  developmentKey?: string;
  readyMs: number;
}

/** What a person starting the gateway reads on the terminal (stderr: stdout carries JSON logs). */
export function startBanner({ url, mode, developmentKey, readyMs }: StartBannerOptions): string {
  const key = developmentKey ?? '<your API key>';
  const body = JSON.stringify({ query: SAMPLE_QUERY_ONE_LINE });
  const lines = [
    '',
    mode === 'sandbox'
      ? `Interlink is ready in ${readyMs} ms, on the embedded sandbox: Zuora, m3ter and Rev.io simulated on this machine with seeded data.`
      : `Interlink is ready in ${readyMs} ms, on the configured Zuora, m3ter and Rev.io endpoints.`,
    '',
    `  GraphQL    ${url}/graphql`,
    `  GraphiQL   ${url}/graphiql${developmentKey ? '   (opens with the API key below in its headers)' : ''}`,
    ...(developmentKey ? [`  API key    ${developmentKey}   (development key: new on every start, every tenant, read + write)`] : []),
    `  Health     ${url}/healthz   ${url}/readyz   ${url}/metrics`,
    '',
    'Try it:',
    `  curl -s ${url}/graphql \\`,
    `    -H 'content-type: application/json' -H 'authorization: Bearer ${key}' \\`,
    `    -d '${body.replace(/'/g, `'\\''`)}'`,
    '',
  ];
  return lines.join('\n') + '\n';
}
