import type { GitHubPullRequestPayload } from '../payloads';
import type { PullRequest } from '@dev-health/schemas';
import { IdentityResolver, NormalizationError, createNormalize, rawRecordFixture } from '@dev-health/normalize';
import { GITHUB_NORMALIZERS } from './normalize-github';

const normalize = createNormalize({ github: GITHUB_NORMALIZERS });

const provenance = {
  raw_topic: 'dho.raw.github',
  raw_partition: 0,
  raw_offset: 3,
  raw_source_id: 'x',
  fetched_at: 0,
  reprocessing_generation: 0,
};
const context = { provenance, identities: new IdentityResolver({ 'ada@acme.example': ['github:ada'] }) };

const raw = (entityKind: string, payload: unknown, org = 'acme') =>
  rawRecordFixture('github', entityKind, payload, { org_id: org });

const pullRequest: GitHubPullRequestPayload = {
  repository_id: 4242,
  number: 7,
  title: 'Add search',
  state: 'MERGED',
  createdAt: '2026-03-02T10:00:00Z',
  updatedAt: '2026-03-03T09:00:00Z',
  mergedAt: '2026-03-03T08:30:00Z',
  closedAt: '2026-03-03T08:30:00Z',
  additions: 120,
  deletions: 4,
  changedFiles: 3,
  baseRefName: 'main',
  headRefName: 'search',
  mergeCommit: { oid: 'm'.repeat(40) },
  author: { login: 'bob' },
  reviews: {
    nodes: [
      { databaseId: 1, state: 'APPROVED', submittedAt: '2026-03-03T08:00:00Z', author: { login: 'ada' } },
      { databaseId: 2, state: 'PENDING', submittedAt: null, author: { login: 'cy' } },
    ],
  },
};

describe('GitHub normalizers (golden)', () => {
  it('keys a repository by its immutable id, so a rename keeps its history', () => {
    const payload = {
      id: 4242,
      node_id: 'R_1',
      name: 'api',
      default_branch: 'main',
      created_at: '2025-01-01T00:00:00Z',
    };
    const [before] = normalize(
      raw('repository', { ...payload, full_name: 'acme-inc/api', html_url: 'https://x/api' }),
      context,
    );
    const [after] = normalize(
      raw('repository', { ...payload, full_name: 'acme-inc/core', html_url: 'https://x/core' }),
      context,
    );
    expect(before?.record.id).toBe('acme/github:repository:4242');
    expect(after?.record.id).toBe(before?.record.id);
  });

  it('turns a merged PR with reviews into the PR, its submitted reviews and the people, in UTC', () => {
    const outputs = normalize(raw('pull_request', pullRequest), context);
    const pr = outputs.find((output) => output.entity === 'pull_request')?.record as PullRequest;
    expect(pr).toMatchObject({
      id: 'acme/github:pull_request:4242/7',
      repository_id: 'acme/github:repository:4242',
      state: 'merged',
      merged_at: Date.UTC(2026, 2, 3, 8, 30),
      changed_files: 3,
      merge_commit_sha: 'm'.repeat(40),
    });
    const reviews = outputs.filter((output) => output.entity === 'review').map((output) => output.record);
    // The pending review is a draft: not published.
    expect(reviews).toEqual([
      expect.objectContaining({ state: 'approved', pull_request_id: pr.id, submitted_at: Date.UTC(2026, 2, 3, 8) }),
    ]);
    // ada's login resolves through the alias table to her identity.
    expect(reviews[0]?.reviewer_identity_id).toBe('acme/identity:ada@acme.example');
    expect(outputs.filter((output) => output.entity === 'identity')).toHaveLength(2);
  });

  it('links a PR to its labels, requested reviewers (people, not teams) and the issues it closes', () => {
    const linked = {
      ...pullRequest,
      labels: { nodes: [{ name: 'enhancement' }] },
      reviewRequests: {
        nodes: [
          { requestedReviewer: { __typename: 'User', login: 'ada' } },
          { requestedReviewer: { __typename: 'Team' } },
          { requestedReviewer: null },
        ],
      },
      closingIssuesReferences: { nodes: [{ number: 12, repository: { databaseId: 4242 } }] },
    };
    const outputs = normalize(raw('pull_request', linked), context);
    expect(outputs.find((output) => output.entity === 'pull_request')?.record).toMatchObject({
      labels: ['enhancement'],
      requested_reviewer_identity_ids: ['acme/identity:ada@acme.example'],
      // The same id the issue normalizer gives issue #12 of repository 4242.
      closing_work_item_ids: ['acme/github:work_item:4242/12'],
    });
    // Payloads fetched before these fields existed still normalize (replays), to empty lists.
    expect(normalize(raw('pull_request', pullRequest), context)[0]?.record).toMatchObject({
      labels: [],
      requested_reviewer_identity_ids: [],
      closing_work_item_ids: [],
    });
    expect(() => normalize(raw('pull_request', { ...pullRequest, labels: ['x'] }), context)).toThrow(
      /field "labels.nodes" is missing/,
    );
  });

  it('sends an unknown PR or review state to the dead-letter topic, naming it', () => {
    expect(() => normalize(raw('pull_request', { ...pullRequest, state: 'DRAFT' }), context)).toThrow(
      new NormalizationError('github/pull_request x: unmapped state "DRAFT"'),
    );
    const reviews = { nodes: [{ databaseId: 3, state: 'BLESSED', submittedAt: '2026-03-03T08:00:00Z', author: null }] };
    expect(() => normalize(raw('pull_request', { ...pullRequest, reviews }), context)).toThrow(
      /unmapped review state "BLESSED"/,
    );
    expect(() => normalize(raw('pull_request', { ...pullRequest, additions: 'many' }), context)).toThrow(
      /field "additions" is missing or has the wrong type/,
    );
  });
});
