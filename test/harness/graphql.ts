import { type ClientOptions, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** POSTs a GraphQL query to a gateway's base URL with a bearer token; GraphQL errors become a thrown Error. */
export async function graphqlQuery<T>(baseUrl: string, query: string, token: string): Promise<T> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data as T;
}

/** A graphql-ws client of a gateway (`/graphql`), with a bearer token in its connection params (none: anonymous). */
export function graphqlWsClient(baseUrl: string, token: string | null, options: Partial<ClientOptions> = {}) {
  return createClient({
    url: `${baseUrl.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
    ...options,
  });
}
