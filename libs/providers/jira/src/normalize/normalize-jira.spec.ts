import { FIXTURE_PROVENANCE, IdentityResolver, createNormalize, rawRecordFixture } from '@dev-health/normalize';
import type { WorkItem, WorkItemTransition } from '@dev-health/schemas';
import type { JiraHistory, JiraIssuePayload } from '../payloads';
import { JIRA_NORMALIZERS } from './normalize-jira';

const normalize = createNormalize({ jira: JIRA_NORMALIZERS });
const context = {
  provenance: FIXTURE_PROVENANCE,
  identities: new IdentityResolver({ 'ada@acme.example': ['jira:5b10ac8d82e05b22cc7d4ef5'] }),
};
const raw = (payload: unknown) => rawRecordFixture('jira', 'issue', payload, { scope: 'acme.atlassian.net' });
const of = <T>(outputs: { entity: string; record: unknown }[], entity: string) =>
  outputs.filter((output) => output.entity === entity).map((output) => output.record as T);

const ada = { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Ada', emailAddress: null };
const bob = { accountId: '5b10a2844c20165700ede21g', displayName: 'Bob', emailAddress: 'bob@acme.example' };
const statusChange = (id: string, at: string, from: [string, string], to: [string, string]): JiraHistory => ({
  id,
  created: at,
  author: ada,
  items: [{ field: 'status', fieldId: 'status', from: from[0], fromString: from[1], to: to[0], toString: to[1] }],
});
// Status ids of the site: 1 To Do (new), 3 In Progress (indeterminate), 10001 Shipped (done).
const categories = { '1': 'new', '3': 'indeterminate', '10001': 'done' };

const issue: JiraIssuePayload = {
  id: '10042',
  key: 'PAY-42',
  fields: {
    summary: 'Refunds time out',
    issuetype: { name: 'Bug' },
    status: { id: '10001', name: 'Shipped', statusCategory: { key: 'done' } },
    project: { id: '10000', key: 'PAY' },
    assignee: ada,
    reporter: bob,
    labels: ['payments'],
    created: '2026-03-02T09:00:00.000+0100',
    updated: '2026-03-06T10:00:00.000+0100',
    resolutiondate: '2026-03-06T10:00:00.000+0100',
    fixVersions: [{ name: '2026.3' }],
    priority: { name: 'High' },
    components: [{ name: 'refunds' }],
    parent: { id: '10007', key: 'PAY-7' },
  },
  changelog: {
    histories: [
      // Out of order on purpose, and with a field change that is not a status.
      statusChange('105', '2026-03-06T10:00:00.000+0100', ['3', 'In Progress'], ['10001', 'Shipped']),
      statusChange('101', '2026-03-03T09:00:00.000+0100', ['1', 'To Do'], ['3', 'In Progress']),
      statusChange('102', '2026-03-04T09:00:00.000+0100', ['3', 'In Progress'], ['10001', 'Shipped']),
      {
        id: '103',
        created: '2026-03-04T12:00:00.000+0100',
        author: bob,
        items: [{ field: 'labels', from: null, fromString: '', to: null, toString: 'payments' }],
      },
      statusChange('104', '2026-03-05T09:00:00.000+0100', ['10001', 'Shipped'], ['3', 'In Progress']),
    ],
  },
  status_categories: categories,
  story_points: 5,
  sprints: ['PAY Sprint 11', 'PAY Sprint 12'],
  team: { id: 'payments', name: 'Payments' },
  type_map: {},
};

describe('Jira normalizer', () => {
  it('an issue → work item: category from statusCategory, never the name; team, sprint, points, fix version', () => {
    const outputs = normalize(raw(issue), context);
    const [item] = of<WorkItem>(outputs, 'work_item');
    expect(item).toMatchObject({
      id: 'acme/jira:work_item:acme.atlassian.net/10042',
      key: 'PAY-42',
      type: 'bug',
      status: 'Shipped',
      status_category: 'done',
      team_id: 'acme/jira:team:acme.atlassian.net/payments',
      iteration: 'PAY Sprint 12',
      estimate: 5,
      milestone: '2026.3',
      priority: 'High',
      labels: ['payments'],
      components: ['refunds'],
      parent_work_item_id: 'acme/jira:work_item:acme.atlassian.net/10007',
      created_at: Date.parse('2026-03-02T08:00:00Z'),
      // The first time it went in progress; the last time it was done (after the reopen).
      started_at: Date.parse('2026-03-03T08:00:00Z'),
      completed_at: Date.parse('2026-03-06T09:00:00Z'),
    });
    // The assignee's account is the identity the alias table joins to Ada's email; Bob's email is shown.
    expect(item?.assignee_identity_id).toBe('acme/identity:ada@acme.example');
    expect(item?.reporter_identity_id).toBe('acme/identity:bob@acme.example');
    // The team is in the team model, named.
    expect(of(outputs, 'team')).toEqual([
      expect.objectContaining({ id: 'acme/jira:team:acme.atlassian.net/payments', name: 'Payments' }),
    ]);
  });

  it('every status change of the changelog, in time order, with categories; a reopen is done → not done', () => {
    const transitions = of<WorkItemTransition>(normalize(raw(issue), context), 'work_item_transition');
    expect(transitions.map((t) => [t.from_category, t.to_category, t.to_status])).toEqual([
      ['todo', 'in_progress', 'In Progress'],
      ['in_progress', 'done', 'Shipped'],
      ['done', 'in_progress', 'In Progress'],
      ['in_progress', 'done', 'Shipped'],
    ]);
  });

  it('keeps a changelog longer than a page whole (150 changes → 150 transitions)', () => {
    const histories = Array.from({ length: 150 }, (_, index) =>
      statusChange(
        String(1000 + index),
        new Date(Date.UTC(2026, 2, 3, 0, index)).toISOString(),
        index % 2 === 0 ? ['1', 'To Do'] : ['3', 'In Progress'],
        index % 2 === 0 ? ['3', 'In Progress'] : ['1', 'To Do'],
      ),
    );
    const long = {
      ...issue,
      changelog: { histories },
      fields: { ...issue.fields, status: { id: '1', name: 'To Do', statusCategory: { key: 'new' } } },
    };
    const outputs = normalize(raw(long), context);
    expect(of<WorkItemTransition>(outputs, 'work_item_transition')).toHaveLength(150);
    expect(of<WorkItem>(outputs, 'work_item')[0]).toMatchObject({ status_category: 'todo', completed_at: null });
  });

  it('maps types by the integration first, then the defaults; sends an unknown category to the DLQ by name', () => {
    const spike = { ...issue, fields: { ...issue.fields, issuetype: { name: 'Spike' } }, type_map: { spike: 'story' } };
    expect(of<WorkItem>(normalize(raw(spike), context), 'work_item')[0]?.type).toBe('story');
    const odd = { ...issue, status_categories: { ...categories, '10001': 'undefined' } };
    expect(() => normalize(raw(odd), context)).toThrow(/unmapped status category "undefined"/);
    const unknownStatus = { ...issue, status_categories: { '1': 'new', '3': 'indeterminate' } };
    expect(() => normalize(raw(unknownStatus), context)).toThrow(/status "Shipped" has no known category/);
  });

  it('an issue the sweep found gone: a last transition to canceled, dated when found, nothing else rewritten', () => {
    const removal = rawRecordFixture(
      'jira',
      'issue_removed',
      { id: '10042', reason: 'deleted', detected_at: '2026-03-09T12:00:00.000Z' },
      { scope: 'acme.atlassian.net' },
    );
    const outputs = normalize(removal, context);
    expect(outputs.map((output) => output.entity)).toEqual(['work_item_transition']);
    expect(outputs[0]?.record).toMatchObject({
      work_item_id: 'acme/jira:work_item:acme.atlassian.net/10042',
      to_status: 'Deleted',
      to_category: 'canceled',
      transitioned_at: Date.parse('2026-03-09T12:00:00Z'),
    });
    const moved = { ...removal, payload: removal.payload.replace('"deleted"', '"out_of_scope"') };
    expect(normalize(moved, context)[0]?.record).toMatchObject({ to_status: 'Moved out of scope' });
  });
});
