import { type CachedResponse, type SyncContext, runRawRecord } from '@dev-health/connector';
import type { RawRecord } from '@dev-health/schemas';
import { type ConditionalResult, GitHubClient } from '../github-client';
import type { GitHubRepositoryPayload } from '../payloads';
import type { PullRequestHead } from './pull-requests';

/** What the integration asks of its GitHub sync, resolved with defaults. */
export interface GitHubSyncSettings {
  /** Environments matching it are production for DORA (default ^(prod|production)$). */
  production: RegExp;
  /** Lower-cased: an issue with one of these labels (case-insensitive) is also an incident. */
  incidentLabels: readonly string[];
  /** Branches whose commits are collected; null: the repository's default branch. */
  branches: readonly string[] | null;
  /** Where commits come from: the repository's partial clone, or the API where cloning is not allowed. */
  commitsFrom: 'clone' | 'api';
  /** commitsFrom api: read each commit's files too (a REST request per commit). */
  commitFiles: boolean;
  /** GraphQL page size (GitHub allows 100). */
  pageSize: number;
  /** How far back a first sync reads kinds that cost a request per item (workflow runs and their jobs). */
  initialHistoryDays: number;
  /** REST page size for lists. */
  listPageSize: number;
  /** Where the repositories' partial clones are kept (one per integration and repository id). */
  cloneDirectory: string;
}

/** One repository within one sync run: what every collector needs. */
export interface RepositoryRun {
  readonly context: SyncContext;
  readonly client: GitHubClient;
  readonly repository: GitHubRepositoryPayload;
  readonly owner: string;
  readonly name: string;
  readonly cache: ReadonlyMap<string, CachedResponse>;
  readonly watermarks: ReadonlyMap<string, string>;
  readonly settings: GitHubSyncSettings;
  readonly fetchedAt: number;
  /** Pull requests' probes and first pages, prefetched for a batch of repositories. */
  readonly pullRequestHeads?: ReadonlyMap<number, PullRequestHead>;
}

/** A collector fetches one kind of a repository's activity and publishes it, incrementally. */
export type RepositoryCollector = (run: RepositoryRun) => Promise<void>;

/**
 * A conditional GET whose 304 means "nothing of this kind changed". `remember` saves its ETag: call it
 * only after what the change produced is acknowledged, so a crash re-asks rather than skips.
 */
export async function probe<T = unknown[]>(
  run: RepositoryRun,
  key: string,
  url: string,
): Promise<{ changed: boolean; body: T; next: string | null; remember: () => Promise<void> }> {
  const result = await run.client.get<T>(url, run.cache.get(key));
  const entry = GitHubClient.cacheEntry(key, result);
  return {
    changed: result.status !== 304,
    body: result.body,
    next: result.next,
    remember: async () => {
      if (entry) await run.context.httpCache.save([entry]);
    },
  };
}

/** A conditional GET answered from the cache on 304, its new ETag kept for `save` by the caller. */
export async function conditionalGet<T>(
  run: RepositoryRun,
  key: string,
  url: string,
): Promise<{ result: ConditionalResult<T>; entry: ({ key: string } & CachedResponse) | null }> {
  const result = await run.client.get<T>(url, run.cache.get(key));
  return { result, entry: GitHubClient.cacheEntry(key, result) };
}

/** A raw GitHub record of the run's org, as every GitHub collector publishes it. */
export function githubRawRecord(
  context: SyncContext,
  scope: string,
  entityKind: string,
  sourceId: string,
  payload: unknown,
  fetchedAt: number,
  request: string,
  cursor: string | null,
): RawRecord {
  return runRawRecord(context, {
    provider: 'github',
    scope,
    entityKind,
    sourceId,
    payload,
    fetchedAt,
    request,
    cursor,
  });
}

/** A raw record of one repository's activity (scope: its full name). */
export function rawRecord(
  context: SyncContext,
  repository: GitHubRepositoryPayload,
  entityKind: string,
  sourceId: string,
  payload: unknown,
  fetchedAt: number,
  request: string,
  cursor: string | null,
): RawRecord {
  return githubRawRecord(context, repository.full_name, entityKind, sourceId, payload, fetchedAt, request, cursor);
}

export interface Connection<Node> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: Node[];
}

/**
 * Completes a connection nested in each of `parents` (a PR's reviews, an issue's timeline, a check
 * suite's runs): the first 100 came with the page; the rest cost a request per further 100, read
 * through the parent's node id. A history cut at its first page would change what the metrics count.
 */
export async function completeNestedConnections<Parent extends { id: string }, Node>(
  run: RepositoryRun,
  query: string,
  parents: readonly Parent[],
  connectionOf: (parent: Parent) => Connection<Node>,
  pick: (data: unknown) => Connection<Node> | null | undefined,
): Promise<void> {
  for (const parent of parents) {
    const connection = connectionOf(parent);
    let pageInfo = connection.pageInfo;
    while (pageInfo.hasNextPage) {
      run.context.throwIfStopped();
      const next = pick(await run.client.graphql(query, { id: parent.id, after: pageInfo.endCursor }));
      if (!next) break;
      connection.nodes.push(...next.nodes);
      pageInfo = next.pageInfo;
    }
  }
}

/**
 * Pages a GraphQL connection ordered newest update first down to the watermark `target`: publishes
 * what is newer, stops at the first page holding an older node, and moves the watermark to the newest
 * update seen once its records are acknowledged.
 */
export async function collectUpdatedSince<Node>(
  run: RepositoryRun,
  target: string,
  page: (after: string | null, since: string) => Promise<Connection<Node> | null>,
  updatedAt: (node: Node) => string,
  toRecord: (node: Node, cursor: string | null) => RawRecord,
): Promise<void> {
  const since = run.watermarks.get(target) ?? '';
  let newest = since;
  let after: string | null = null;
  for (;;) {
    run.context.throwIfStopped();
    const connection: Connection<Node> | null = await page(after, since);
    if (!connection) break;
    const fresh = connection.nodes.filter((node) => updatedAt(node) > since);
    if (fresh.length > 0) await run.context.publish(fresh.map((node) => toRecord(node, after)));
    for (const node of fresh) if (updatedAt(node) > newest) newest = updatedAt(node);
    // Newest first: once a page holds an older-than-watermark node, the rest are older still.
    if (fresh.length < connection.nodes.length || !connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  if (newest !== since) await run.context.watermarks.save([{ target, cursor: newest }]);
}

/**
 * The watermark of a kind whose items finish after they appear (deployments, workflow runs): the
 * newest creation seen, and the ids of items still in flight then. An item's outcome changes neither
 * the newest item nor its creation time, so in-flight ones are re-read by id until they finish.
 */
export interface InFlightCursor<Id> {
  created: string;
  open: Id[];
}

/** An item in flight this long is abandoned: stop re-reading it. */
export const IN_FLIGHT_HORIZON_MS = 7 * 86_400_000;

export function readInFlightCursor<Id>(value: string | undefined, isId: (id: unknown) => id is Id): InFlightCursor<Id> {
  if (value === undefined) return { created: '', open: [] };
  try {
    const parsed = JSON.parse(value) as Partial<InFlightCursor<unknown>>;
    return {
      created: typeof parsed.created === 'string' ? parsed.created : '',
      open: Array.isArray(parsed.open) ? parsed.open.filter(isId) : [],
    };
  } catch {
    // An unreadable watermark means "from the start": idempotent sinks make re-reading safe.
    return { created: '', open: [] };
  }
}

/** Saves the cursor when it moved; call once the records it covers are acknowledged. */
export async function saveInFlightCursor<Id>(
  run: RepositoryRun,
  target: string,
  cursor: InFlightCursor<Id>,
): Promise<void> {
  const serialized = JSON.stringify(cursor);
  if (serialized !== run.watermarks.get(target)) await run.context.watermarks.save([{ target, cursor: serialized }]);
}

/** Whether instant `a` is after the watermark `b` ('' is before everything), whatever ISO spelling each uses. */
export const isAfter = (a: string | undefined, b: string): boolean =>
  a !== undefined && (b === '' || Date.parse(a) > Date.parse(b));
