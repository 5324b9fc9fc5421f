/**
 * The browser entry of the offline GraphiQL page, bundled by scripts/build-graphiql.ts into
 * dist/graphiql/ and served by src/http/graphiql.ts. Everything it needs is in that folder.
 */
import './setup-workers.js';
import 'graphiql/style.css';
import './page.css';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createFetcher } from './fetcher.js';
import { readPageConfig } from './read-page-config.js';

const config = readPageConfig(document);
const headers = Object.keys(config.defaultHeaders).length > 0 ? JSON.stringify(config.defaultHeaders, null, 2) : undefined;
const root = document.getElementById('graphiql');
if (!root) throw new Error('index.html has no #graphiql element');

createRoot(root).render(
  <StrictMode>
    <GraphiQL
      fetcher={createFetcher(config.endpoint)}
      // defaultHeaders fills every new tab; initialHeaders the first one. Headers are not
      // persisted (GraphiQL's default), so a reload shows the server's headers again.
      {...(headers === undefined ? {} : { defaultHeaders: headers, initialHeaders: headers })}
      {...(config.defaultQuery === undefined ? {} : { defaultQuery: config.defaultQuery })}
      defaultEditorToolsVisibility={headers === undefined ? false : 'headers'}
    >
      <GraphiQL.Logo>Interlink</GraphiQL.Logo>
    </GraphiQL>
  </StrictMode>,
);
