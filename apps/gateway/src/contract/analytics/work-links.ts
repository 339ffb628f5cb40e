import type { SqlBuilder } from './analytics-store';

/**
 * Whether a pull request (a row of pull_requests) is linked to a work item (never select another column
 * `AS id` beside it: ClickHouse resolves aliases in WHERE, and this reads the PR's id): it closes one, or its title
 * or branch mentions an issue key (PROJ-123) that names one of the org's work items. Keys are resolved
 * here, where both sides are stored, so a Jira issue synced after the PR still links it, and a look-alike
 * key (UTF-8) links nothing.
 */
export function linkedToWorkItem(sql: SqlBuilder, org: string): string {
  return `(${sql.nonEmpty('closing_work_item_ids')} OR id IN (
    SELECT id FROM ${sql.unnest('pull_requests', 'work_item_keys', 'mentioned_key')}
     WHERE org_id = ${sql.value(org)}
       AND mentioned_key IN (SELECT key FROM ${sql.table('work_items')} WHERE org_id = ${sql.value(org)})))`;
}
