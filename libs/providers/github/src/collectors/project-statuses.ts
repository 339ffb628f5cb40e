import { type CachedResponse, type SyncContext, SyncStageError } from '@dev-health/connector';
import type { RawRecord } from '@dev-health/schemas';
import { type ConditionalResult, GitHubClient } from '../github-client';
import type { GitHubProjectItemStatusPayload, GitHubRepositoryPayload } from '../payloads';
import { githubRawRecord } from './repository-run';

/** REST `GET /orgs/{org}/projectsV2/{n}/fields`, the part read. */
interface ProjectField {
  id: number;
  name: string;
  data_type: string;
}

/** REST `GET /orgs/{org}/projectsV2/{n}/items?fields=<status>`, the part read. */
interface ProjectItem {
  id: number;
  content_type: string;
  content: { number?: number; repository_url?: string } | null;
  fields?: { id: number; value?: { name?: { raw?: string } | string } | null }[];
  updated_at: string;
}

export interface ProjectStatusesOptions {
  owner: string;
  projects: readonly number[];
  /** The single-select field holding an item's status ("Status" unless the integration says). */
  statusField: string;
  /** The integration's repositories: items of others are not its work items. */
  repositories: readonly GitHubRepositoryPayload[];
  cache: ReadonlyMap<string, CachedResponse>;
  watermarks: ReadonlyMap<string, string>;
  pageSize: number;
  fetchedAt: number;
}

/** The watermark of a project: each item's status when last seen, by item id. */
export const projectStatusesTarget = (project: number): string => `project:${project}:statuses`;

/**
 * Status changes of issues on the integration's Projects (v2). GitHub serves a project field's value,
 * not its history, so each sync compares the items' statuses with those seen last (kept as the
 * project's watermark) and publishes a change per item that moved, at the item's updated_at. Every page
 * is a conditional GET: a project nobody touched costs 304s only.
 */
export async function collectProjectStatuses(
  context: SyncContext,
  client: GitHubClient,
  options: ProjectStatusesOptions,
): Promise<void> {
  const byUrl = new Map(
    options.repositories.map((repository) => [repository.full_name.toLowerCase(), repository] as const),
  );
  for (const project of options.projects) {
    context.throwIfStopped();
    const entries: ({ key: string } & CachedResponse)[] = [];
    const get = async <T>(key: string, url: string): Promise<ConditionalResult<T>> => {
      const result = await client.get<T>(url, options.cache.get(key));
      const entry = GitHubClient.cacheEntry(key, result);
      if (entry) entries.push(entry);
      return result;
    };
    const base = `/orgs/${options.owner}/projectsV2/${project}`;
    const fields = await get<ProjectField[]>(`project-fields:${project}`, `${base}/fields?per_page=100`);
    const field = fields.body.find(
      (candidate) =>
        candidate.data_type === 'single_select' && candidate.name.toLowerCase() === options.statusField.toLowerCase(),
    );
    if (!field)
      throw new SyncStageError(
        'configuration',
        `project ${project} of ${options.owner} has no single-select field "${options.statusField}" ` +
          '(scope.project_status_field names it)',
      );
    const items: ProjectItem[] = [];
    let changed = fields.status === 200;
    let url: string | null = `${base}/items?fields=${field.id}&per_page=${options.pageSize}`;
    for (let page = 1; url !== null; page++) {
      context.throwIfStopped();
      const result: ConditionalResult<ProjectItem[]> = await get(`project-items:${project}:${page}`, url);
      if (result.status === 200) changed = true;
      items.push(...result.body);
      url = result.next;
    }
    const target = projectStatusesTarget(project);
    if (changed) {
      const seen = readStatuses(options.watermarks.get(target));
      const now: Record<string, string> = {};
      const records: RawRecord[] = [];
      for (const item of items) {
        const repository = repositoryOf(item, byUrl);
        const status = statusOf(item, field.id);
        if (item.content_type !== 'Issue' || !repository || typeof item.content?.number !== 'number' || !status)
          continue;
        now[item.id] = status;
        if (seen[item.id] === status) continue;
        const payload: GitHubProjectItemStatusPayload = {
          project_number: project,
          item_id: item.id,
          repository_id: repository.id,
          issue_number: item.content.number,
          from_status: seen[item.id] ?? null,
          to_status: status,
          changed_at: item.updated_at,
        };
        records.push(
          githubRawRecord(
            context,
            `${options.owner}/projects/${project}`,
            'project_item_status',
            `${project}/${item.id}@${item.updated_at}`,
            payload,
            options.fetchedAt,
            'GET projectsV2 items',
            null,
          ),
        );
      }
      if (records.length > 0) await context.publish(records);
      const serialized = JSON.stringify(now);
      if (serialized !== options.watermarks.get(target))
        await context.watermarks.save([{ target, cursor: serialized }]);
    }
    // Only once the changes are acknowledged: a crash before this compares again.
    if (entries.length > 0) await context.httpCache.save(entries);
  }
}

function readStatuses(value: string | undefined): Record<string, string> {
  if (value === undefined) return {};
  try {
    const parsed = JSON.parse(value) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
  } catch {
    // Unreadable: every item counts as first seen (its transition's id is the same as before).
    return {};
  }
}

/** The repository of an issue item, by its API URL (…/repos/{owner}/{name}); null: not the integration's. */
function repositoryOf(
  item: ProjectItem,
  byUrl: ReadonlyMap<string, GitHubRepositoryPayload>,
): GitHubRepositoryPayload | null {
  const fullName = /\/repos\/([^/]+\/[^/]+)$/.exec(item.content?.repository_url ?? '')?.[1];
  return fullName ? (byUrl.get(fullName.toLowerCase()) ?? null) : null;
}

/** A single-select value's option name (REST gives `{ name: { raw, html } }`). */
function statusOf(item: ProjectItem, fieldId: number): string | null {
  const name = item.fields?.find((candidate) => candidate.id === fieldId)?.value?.name;
  const raw = typeof name === 'string' ? name : name?.raw;
  return raw && raw.trim() !== '' ? raw : null;
}
