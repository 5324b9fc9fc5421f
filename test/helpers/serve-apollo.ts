/**
 * A started ApolloServer on 127.0.0.1 and a free port through plain node:http, with an optional
 * handler in front (GraphiQL's) that answers first. Stands in for the gateway's HTTP entry point
 * in tests that need something besides GraphQL on the same origin; records each GraphQL request.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextFunction } from '@apollo/server';

export interface ServedApollo {
  url: string;
  /** Method, path and headers of every request that reached Apollo. */
  graphqlRequests: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function serveApollo<Context extends BaseContext>(
  apollo: ApolloServer<Context>,
  context: ContextFunction<[{ req: http.IncomingMessage }], Context>,
  front?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean,
): Promise<ServedApollo> {
  const graphqlRequests: ServedApollo['graphqlRequests'] = [];
  const server = http.createServer((req, res) => {
    if (front?.(req, res)) return;
    graphqlRequests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void answer(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      });
    });
  });

  async function answer(req: http.IncomingMessage, res: http.ServerResponse, text: string): Promise<void> {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isJson = (req.headers['content-type'] ?? '').includes('json');
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body: isJson && text !== '' ? JSON.parse(text) : text },
      context: () => context({ req }),
    });
    res.statusCode = response.status ?? 200;
    for (const [name, value] of response.headers) res.setHeader(name, value);
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    graphqlRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
