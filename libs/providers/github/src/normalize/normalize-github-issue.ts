import type { GitHubIssuePayload, GitHubIssueTimelineItem } from '../payloads';
import { type RawRecord, type WorkItemStatusCategory, type WorkItemType, canonicalId } from '@dev-health/schemas';
import {
  type CanonicalOutput,
  type NormalizeContext,
  type Normalizer,
  NormalizationError,
  isNullableString,
  isNumber,
  isObject,
  isString,
  parsePayload,
  requireShape,
  statusTransitions,
  utcMillis,
  utcMillisOrNull,
  vocabulary,
} from '@dev-health/normalize';
import { PROVIDER, githubDeploymentId, githubRepositoryId, identityOutputs, loginOf, personId } from './common';

/**
 * A GitHub issue → work_item, its state changes → work_item_transitions, and (when it carried an
 * incident label) → incident.
 *
 * GitHub issues have two states; the work-item statuses come from replaying the timeline:
 * - open, nobody assigned → "open" (todo); open and assigned → "assigned" (in_progress);
 * - a workflow label `status: <name>` (also `state:`/`stage:`, `:` or `/`) while open → "<name>",
 *   its category from the name (backlog/todo/triage/new → todo; done/resolved/shipped → done;
 *   won't fix/canceled/duplicate → canceled; anything else → in_progress);
 * - closed as completed → "closed" (done); closed as not planned or duplicate → "not planned" (canceled).
 * Each change of status is one transition; opening is the first (from nothing).
 */

const closedCategory = vocabulary<'done' | 'canceled'>(PROVIDER, 'state reason', {
  COMPLETED: 'done',
  NOT_PLANNED: 'canceled',
  DUPLICATE: 'canceled',
  // REOPENED is the reason of an open issue that was closed once.
  REOPENED: 'done',
});

/** Closed without a reason (issues closed before GitHub had reasons) counts as completed. */
function closedReason(raw: RawRecord, reason: string | null): Status {
  const category = closedCategory(raw, reason ?? 'COMPLETED');
  return { status: category === 'done' ? 'closed' : 'not planned', category };
}

const WORKFLOW_LABEL = /^(?:status|state|stage)\s*[:/]\s*(.+)$/i;

/** A status's category from its name (a workflow label's, or a project's status option). */
export function statusCategory(status: string): WorkItemStatusCategory {
  const name = status.toLowerCase();
  if (/^(backlog|todo|to do|triage|new|open)$/.test(name)) return 'todo';
  if (/^(done|resolved|shipped|closed|complete|completed)$/.test(name)) return 'done';
  if (/^(won'?t ?fix|wontfix|cancel+ed|duplicate|invalid|not planned)$/.test(name)) return 'canceled';
  return 'in_progress';
}

function itemType(labels: readonly string[], incident: boolean): WorkItemType {
  const names = labels.map((label) => label.toLowerCase());
  if (incident) return 'incident';
  if (names.some((name) => name === 'bug' || name === 'type: bug' || name === 'kind/bug')) return 'bug';
  if (names.some((name) => name === 'epic' || name === 'type: epic')) return 'epic';
  if (names.some((name) => name === 'story' || name === 'user story' || name === 'type: story')) return 'story';
  return 'task';
}

/** Severity from a `sev1`, `sev-2`, `severity: high`, `P1` style label; "unknown" without one. */
function severityOf(labels: readonly string[]): string {
  for (const label of labels) {
    const match = /^(?:sev(?:erity)?[\s:/-]*|p)([0-9]|critical|high|medium|low)$/i.exec(label.trim());
    if (match?.[1]) return /^[0-9]$/.test(match[1]) ? `sev${match[1]}` : match[1].toLowerCase();
  }
  return 'unknown';
}

/** A deployment the issue's body names: `deployment #123`, `deployment 123` or a `/deployments/123` URL. */
function referencedDeployment(body: string): number | null {
  // One way to split the spaces around "#": `\s*#?\s*` backtracks quadratically on "deployment" and a long blank run.
  const match = /deployments?\s*(?:#\s*)?(\d+)|\/deployments\/(\d+)/i.exec(body);
  const id = match?.[1] ?? match?.[2];
  return id === undefined ? null : Number(id);
}

interface Status {
  status: string;
  category: WorkItemStatusCategory;
}

function replayTimeline(raw: RawRecord, issue: GitHubIssuePayload): { at: string; actor: string | null; to: Status }[] {
  const events = [...issue.timelineItems.nodes].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  let open = true;
  let closed: Status = { status: 'closed', category: 'done' };
  let assignees = 0;
  let workflowLabel: string | null = null;
  const current = (): Status => {
    if (!open) return closed;
    if (workflowLabel !== null) return { status: workflowLabel, category: statusCategory(workflowLabel) };
    return assignees > 0 ? { status: 'assigned', category: 'in_progress' } : { status: 'open', category: 'todo' };
  };
  const changes = [
    { at: issue.createdAt, actor: issue.author ? loginOf(raw, 'author', issue.author) : null, to: current() },
  ];
  for (const event of events) {
    const before = current();
    applyEvent(raw, event);
    const after = current();
    if (after.status !== before.status)
      changes.push({
        at: event.createdAt,
        actor: event.actor ? loginOf(raw, 'timelineItems.nodes.actor', event.actor) : null,
        to: after,
      });
  }
  return changes;

  function applyEvent(record: RawRecord, event: GitHubIssueTimelineItem): void {
    switch (event.__typename) {
      case 'ClosedEvent':
        open = false;
        closed = closedReason(record, event.stateReason);
        return;
      case 'ReopenedEvent':
        open = true;
        return;
      case 'AssignedEvent':
        assignees += 1;
        return;
      case 'UnassignedEvent':
        assignees = Math.max(0, assignees - 1);
        return;
      case 'LabeledEvent': {
        const match = WORKFLOW_LABEL.exec(event.label.name);
        if (match?.[1]) workflowLabel = match[1].trim().toLowerCase();
        return;
      }
      case 'UnlabeledEvent': {
        const match = WORKFLOW_LABEL.exec(event.label.name);
        if (match?.[1] && match[1].trim().toLowerCase() === workflowLabel) workflowLabel = null;
        return;
      }
      default:
        throw new NormalizationError(
          `github/issue ${record.source_id}: unmapped timeline item "${(event as { __typename: string }).__typename}"`,
        );
    }
  }
}

export const normalizeIssue: Normalizer = (raw, context) => {
  const issue = requireShape<GitHubIssuePayload>(raw, parsePayload(raw), {
    repository_id: isNumber,
    repository_full_name: isString,
    databaseId: isNumber,
    number: isNumber,
    title: isString,
    state: isString,
    stateReason: isNullableString,
    createdAt: isString,
    updatedAt: isString,
    closedAt: isNullableString,
    labels: isObject,
    assignees: isObject,
    timelineItems: isObject,
  });
  for (const connection of ['labels', 'assignees', 'timelineItems'] as const)
    if (!Array.isArray(issue[connection].nodes))
      throw new NormalizationError(`github/issue ${raw.source_id}: field "${connection}.nodes" is missing`);
  if (typeof issue.incident !== 'boolean')
    throw new NormalizationError(`github/issue ${raw.source_id}: field "incident" is missing or not a boolean`);
  if (issue.state !== 'OPEN' && issue.state !== 'CLOSED')
    throw new NormalizationError(`github/issue ${raw.source_id}: unmapped state "${String(issue.state)}"`);

  const changes = replayTimeline(raw, issue);
  // The issue's own state is authoritative (a timeline longer than one page can miss events).
  const replayed = changes.at(-1)?.to ?? { status: 'open', category: 'todo' };
  const final: Status =
    issue.state === 'CLOSED'
      ? replayed.category === 'done' || replayed.category === 'canceled'
        ? replayed
        : closedReason(raw, issue.stateReason)
      : replayed.category === 'done' || replayed.category === 'canceled'
        ? { status: 'open', category: 'todo' }
        : replayed;

  const itemId = canonicalId(context.org, PROVIDER, 'work_item', issue.repository_id, issue.number);
  const labels = issue.labels.nodes.map((label) => label.name);
  const assignee = issue.assignees.nodes[0];
  const author = loginOf(raw, 'author', issue.author);
  const transitions = statusTransitions(
    context,
    PROVIDER,
    itemId,
    [issue.repository_id, issue.number],
    changes.map((change) => ({
      at: utcMillis(raw, 'timelineItems.createdAt', change.at),
      actorId: change.actor === null ? null : personId(context, change.actor),
      to: change.to,
    })),
  );
  const started = transitions.find((transition) => transition.to_category === 'in_progress');
  const lastDone = [...transitions].reverse().find((transition) => transition.to_category === 'done');
  const closedAt = utcMillisOrNull(raw, 'closedAt', issue.closedAt);
  const outputs: CanonicalOutput[] = [
    {
      entity: 'work_item',
      record: {
        id: itemId,
        provider: PROVIDER,
        org_id: context.org,
        provenance: context.provenance,
        // An issue's scope is its repository (a Projects v2 board would be another scope).
        work_scope_id: githubRepositoryId(context.org, issue.repository_id),
        key: `${issue.repository_full_name}#${issue.number}`,
        title: issue.title,
        type: itemType(labels, issue.incident),
        status: final.status,
        status_category: final.category,
        assignee_identity_id: assignee ? personId(context, loginOf(raw, 'assignees.nodes[0]', assignee)) : null,
        reporter_identity_id: personId(context, author),
        team_id: null,
        // Not read from GitHub yet (milestones, and Projects fields for iteration and estimate).
        milestone: null,
        iteration: null,
        estimate: null,
        priority: null,
        labels,
        components: [],
        parent_work_item_id: null,
        created_at: utcMillis(raw, 'createdAt', issue.createdAt),
        started_at: started?.transitioned_at ?? null,
        completed_at: final.category === 'done' ? (lastDone?.transitioned_at ?? closedAt) : null,
        updated_at: utcMillis(raw, 'updatedAt', issue.updatedAt),
      },
    },
    ...transitions.map((record) => ({ entity: 'work_item_transition' as const, record })),
  ];
  if (issue.incident) outputs.push(incidentOutput(raw, context, issue, labels, closedAt));
  const people = [
    author,
    ...issue.assignees.nodes.map((node, index) => loginOf(raw, `assignees.nodes[${index}]`, node)),
    ...changes.flatMap((change) => change.actor ?? []),
  ];
  return [...outputs, ...identityOutputs(context, people)];
};

function incidentOutput(
  raw: RawRecord,
  context: NormalizeContext,
  issue: GitHubIssuePayload,
  labels: readonly string[],
  closedAt: number | null,
): CanonicalOutput {
  const deployment = referencedDeployment(issue.body ?? '');
  return {
    entity: 'incident',
    record: {
      id: canonicalId(context.org, PROVIDER, 'incident', issue.repository_id, issue.number),
      provider: PROVIDER,
      org_id: context.org,
      provenance: context.provenance,
      repository_id: githubRepositoryId(context.org, issue.repository_id),
      service: null,
      title: issue.title,
      severity: severityOf(labels),
      status: issue.state === 'CLOSED' ? 'resolved' : 'open',
      started_at: utcMillis(raw, 'createdAt', issue.createdAt),
      resolved_at: issue.state === 'CLOSED' ? closedAt : null,
      // The repository's deployment it names (GitHub deployment ids are unique, the repository scopes ours).
      deployment_id: deployment === null ? null : githubDeploymentId(context.org, issue.repository_id, deployment),
      updated_at: utcMillis(raw, 'updatedAt', issue.updatedAt),
    },
  };
}
