import { type ASTNode, Kind, type SelectionSetNode, parse, print, visit } from 'graphql';

/**
 * dev-health-web's own operation documents (src/lib/graphql/queries.ts and the data-health pages'
 * .graphql files), as the UI sends them: the contract the gateway answers.
 */
export const UI_DOCUMENTS = {
  Home: `query Home($orgId: String!, $filters: FilterInput, $window: HomeWindowInput) {
  home(orgId: $orgId, filters: $filters, window: $window) {
    freshness {
      lastIngestedAt
      latestSuccessfulSyncAt
      sources { provider status }
      coverage { reposCoveredPct prsLinkedToIssuesPct issuesWithCycleStatesPct }
    }
    deltas {
      metric label value unit deltaPct hasData hasPriorData
      spark { ts value }
      rateState rateCoverage repoFilterApplied
    }
    reworkThemeAllocation { theme label allocation allocationPct prsMerged churnLoc }
    summary { id text evidenceLink }
    tiles { key value { title subtitle link } }
    constraint { title claim evidence { label link } experiments }
    events { ts type text link }
    healthState { status headline summary asOf }
    signals {
      id title metric currentValue priorValue delta direction severity confidence affectedScope evidenceCount
      whyItMatters recommendedAction evidenceRef category
      scopeEntity { id displayName }
      coverage repoFilterApplied
      attribution {
        items
        sources { source items share }
        confidence { confidence items share }
      }
    }
    limitingFactor { claim whyItMatters recommendedAction confidence evidenceRef }
    dataConfidence { level coveragePct connectedSources missingSources caveats }
    scopeDataConfidence { level coveragePct lastIngestedAt caveats }
  }
}`,
  CatalogValues: `query CatalogValues($orgId: String!, $dimension: DimensionInput!) {
  catalog(orgId: $orgId, dimension: $dimension) { values { value count } }
}`,
  PrDetail: `query PrDetail($orgId: String!, $id: ID!) {
  pr(orgId: $orgId, id: $id) {
    id orgId repoId repoName number title body state authorName authorEmail createdAt mergedAt closedAt
    headBranch baseBranch additions deletions changedFiles firstReviewAt firstCommentAt changesRequestedCount
    reviewsCount commentsCount
    reviews { reviewId reviewer state submittedAt }
    commits { hash message authorName authorEmail authorWhen confidence provenance evidence }
    linkedIssues { workItemId confidence provenance evidence }
  }
}`,
  ReviewEdges: `query ReviewEdges($input: ReviewEdgesInput!) {
  reviewEdges(input: $input) {
    edges { reviewerKey authorKey reviewerName authorName reviewsCount day repoId }
    totalCount
  }
}`,
  MetricLineage: `query MetricLineage($metricId: ID!) {
  dataHealth(team: "ALL") {
    metricLineage(metricId: $metricId) { metricId sourceTables computeWindow { kind durationDays } computedAt rowCount }
  }
}`,
  GetConnectorsDataHealth: `query GetConnectorsDataHealth($teamId: ID!) {
  dataHealth(team: $teamId) {
    connectors { provider scope lastSyncAt rowsIngested lastFailure { occurredAt message stage } }
  }
}`,
  DataHealthIdentity: `query DataHealthIdentity($team: ID!) {
  dataHealth(team: $team) {
    identityMapping {
      unmappedCount
      unmappedIdentities { provider email displayName observedCount }
      suggestedAliases {
        unmappedIdentity { provider email displayName }
        suggestedCanonicalId
        suggestedCanonicalName
        confidence
      }
    }
  }
}`,
  GetMappingCoverageHealth: `query GetMappingCoverageHealth($teamId: ID!) {
  dataHealth(team: $teamId) {
    mappingCoverage {
      deployments { totalRepos coveredRepos coveragePct }
      workItems { totalRepos coveredRepos coveragePct }
    }
  }
}`,
  SourceHealth: `query SourceHealth($orgId: String!) {
  sourceHealth(orgId: $orgId) { provider scope lastSyncAt lastFailure { occurredAt stage } }
}`,
  WorkItemTeamAttributions: `query WorkItemTeamAttributions($orgId: String!, $workItemIds: [String!], $teamId: String) {
  workItemTeamAttributions(orgId: $orgId, workItemIds: $workItemIds, teamId: $teamId) {
    workItemId provider teamId teamName source confidence isPrimary evidence
  }
}`,
  CapacityForecast: `query CapacityForecast($orgId: String!, $input: CapacityForecastInput) {
  capacityForecast(orgId: $orgId, input: $input) {
    forecastId computedAt teamId workScopeId backlogSize targetItems targetDate
    p50Date p85Date p95Date p50Days p85Days p95Days p50Items p85Items p95Items
    throughputMean throughputStddev historyDays insufficientHistory highVariance
    completionDistribution {
      runs unfinishedRuns horizonDays
      days { value count cumulativeShare }
      items { value count cumulativeShare }
    }
  }
}`,
  CapacityCompletionDistribution: `query CapacityCompletionDistribution($orgId: String!, $input: CapacityForecastInput) {
  capacityForecast(orgId: $orgId, input: $input) {
    completionDistribution { days { value count } items { value count } }
  }
}`,
  CapacityForecasts: `query CapacityForecasts($orgId: String!, $filters: CapacityForecastFilterInput) {
  capacityForecasts(orgId: $orgId, filters: $filters) {
    edges {
      node {
        forecastId computedAt teamId workScopeId backlogSize targetItems targetDate
        p50Date p85Date p95Date p50Days p85Days p95Days p50Items p85Items p95Items
        throughputMean throughputStddev historyDays insufficientHistory highVariance
      }
      cursor
    }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    totalCount
  }
}`,
  BusFactor: `query BusFactor($orgId: String!, $scope: BusFactorScopeInput) {
  busFactor(orgId: $orgId, scope: $scope) {
    orgId
    scope { repoId teamId }
    value evidenceSampleCount
    topMaintainers { author sharePercent }
    repos { repoId repoName value evidenceSampleCount topMaintainers { author sharePercent } }
  }
}`,
  OperatingReview: `query OperatingReview($orgId: String!, $input: OperatingReviewInput!) {
  operatingReview(orgId: $orgId, input: $input) {
    orgId teamId weekStart priorWeekStart
    sections {
      key title changed improved worsened
      metrics {
        key label value unit hasData scope rateState
        delta { value priorValue absolute percent status hasPriorData }
      }
    }
    recommendations recommendationsEmptyState
  }
}`,
  WorkGraphEdges: `query WorkGraphEdges($orgId: String!, $filters: WorkGraphEdgeFilterInput) {
  workGraphEdges(orgId: $orgId, filters: $filters) {
    edges {
      edgeId sourceType sourceId sourceDisplayName targetType targetId targetDisplayName edgeType provenance
      confidence evidence repoId provider theme subcategory
    }
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    degradedReason
  }
}`,
  WorkGraphFlow: `query WorkGraphFlow($orgId: String!, $filters: WorkGraphEdgeFilterInput) {
  workGraphFlow(orgId: $orgId, filters: $filters) { rows { nodeType inflow outflow } degradedReason }
}`,
  WorkGraphArtifacts: `query WorkGraphArtifacts($orgId: String!, $filters: WorkGraphEdgeFilterInput) {
  workGraphArtifacts(orgId: $orgId, filters: $filters) { rows { nodeType nodeId displayName degree evidence } degradedReason }
}`,
  CognitiveLoad: `query CognitiveLoad($input: CognitiveLoadInput!) {
  cognitiveLoad(input: $input) {
    orgId teamId totalDays
    signals { day prInterruptionLoad contextSpreadCount reviewRequestLoad afterHoursCommitRatio weekendCommitRatio }
  }
}`,
  Hotspots: `query Hotspots($input: HotspotsInput!) {
  hotspots(input: $input) {
    rows { filePath repoId repoName churnLoc30d churnCommits30d cyclomaticTotal cyclomaticAvg blameConcentration riskScore evidenceUrl }
    repos { repoId repoName topFilePath topRiskScore evidenceUrl }
  }
}`,
  FlowMatrix: `query FlowMatrix($orgId: String!, $batch: AnalyticsRequestInput!) {
  analytics(orgId: $orgId, batch: $batch) {
    flowMatrix { nodes { id label dimension value } edges { source target value } }
  }
}`,
  ThroughputForecast: `query ThroughputForecast($orgId: String!, $input: ThroughputForecastInput!) {
  throughputForecast(orgId: $orgId, input: $input) {
    forecastId computedAt teamId workScopeId backlogSize historyWeeks p50Weeks p75Weeks p90Weeks insufficientHistory
    rollingWindows { windowWeeks meanWeeklyThroughput sampleCount insufficientHistory }
    primaryRisk { kind score label value threshold active }
    wipCongestion { kind score label value threshold active }
    staleWip { p50AgeHours p90AgeHours }
    estimateCoverage { ratio estimatedCount unestimatedCount backlogSize }
    reviewBottleneck { kind score label value threshold active }
    incidentLoad { kind score label value threshold active }
  }
}`,
} as const;

export type UiOperation = keyof typeof UI_DOCUMENTS;

/** urql's formatDocument: `__typename` in every selection set that lacks it. */
export function withTypename(document: string): string {
  const ast = visit(parse(document), {
    SelectionSet: {
      leave(node: SelectionSetNode, _key, parent: ASTNode | readonly ASTNode[] | undefined) {
        if (parent && !Array.isArray(parent) && (parent as ASTNode).kind === Kind.OPERATION_DEFINITION) return node;
        if (node.selections.some((selection) => selection.kind === Kind.FIELD && selection.name.value === '__typename'))
          return node;
        return {
          ...node,
          selections: [...node.selections, { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }],
        };
      },
    },
  });
  return print(ast);
}

export interface UiRequest {
  operation: UiOperation;
  variables: Record<string, unknown>;
  org: string;
  token: string | null;
}

/**
 * Sends an operation as the UI's urql client does: GET (?query=&operationName=&variables=) when the URL
 * fits in 2,047 characters, else POST; its accept header, X-Org-Id and a bearer token.
 */
export async function sendAsUi(
  baseUrl: string,
  request: UiRequest,
): Promise<{
  status: number;
  method: 'GET' | 'POST';
  body: { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };
}> {
  const query = withTypename(UI_DOCUMENTS[request.operation]);
  const headers: Record<string, string> = {
    accept:
      'application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed',
    'x-org-id': request.org,
    ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
  };
  const url = new URL(`${baseUrl}/graphql`);
  url.searchParams.set('query', query);
  url.searchParams.set('operationName', request.operation);
  url.searchParams.set('variables', JSON.stringify(request.variables));
  const get = url.toString().length <= 2047;
  const response = get
    ? await fetch(url, { headers })
    : await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ query, operationName: request.operation, variables: request.variables }),
      });
  return { status: response.status, method: get ? 'GET' : 'POST', body: (await response.json()) as never };
}
