import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  buildSchema,
  getNamedType,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import { SCHEMA_FILE } from '../gateway.module';

/**
 * dev-health-web's contract (shared/web-contract/operations.json, beside the repository as on every
 * developer machine and in CI: the nearest one up the tree) against the checked-in schema: the operations built so far must stay
 * answerable — root fields, argument names and every leaf path the UI selects.
 */
const OPERATIONS_FILE = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  '..',
  'shared',
  'web-contract',
  'operations.json',
);

/** What part 1 of the gateway answers; grows as the remaining operations land. */
const ANSWERED = [
  'Home',
  'CatalogValues',
  'PrDetail',
  'ReviewEdges',
  'MetricLineage',
  'GetConnectorsDataHealth',
  'DataHealthIdentity',
  'GetMappingCoverageHealth',
  'SourceHealth',
  'WorkItemTeamAttributions',
  'MetricsUpdated',
  'TaskStatus',
  'SyncProgress',
  'CapacityForecast',
  'CapacityCompletionDistribution',
  'CapacityForecasts',
  'ThroughputForecast',
  'BusFactor',
  'OperatingReview',
  'WorkGraphEdges',
  'WorkGraphFlow',
  'WorkGraphArtifacts',
  'CognitiveLoad',
  'Hotspots',
  'FlowMatrix',
];

interface Operation {
  name: string;
  kind: 'query' | 'mutation' | 'subscription';
  in_scope: boolean;
  roots: { field: string; args: string[] }[];
  leaves: string[];
}

function missing(root: GraphQLObjectType | null | undefined, operation: Operation): string[] {
  if (!root) return [`no ${operation.kind} type`];
  const problems: string[] = [];
  for (const { field, args } of operation.roots) {
    const definition = root.getFields()[field];
    if (!definition) problems.push(`root ${field}`);
    else
      for (const arg of args)
        if (!definition.args.some((candidate) => candidate.name === arg)) problems.push(`argument ${field}(${arg})`);
  }
  for (const leaf of operation.leaves) {
    let type: GraphQLOutputType = root;
    for (const name of (leaf.split(':')[0] ?? '').split('.')) {
      if (name === '__typename') break;
      const named: GraphQLNamedType = getNamedType(type);
      const field: GraphQLField<unknown, unknown> | undefined =
        isObjectType(named) || isInterfaceType(named) ? named.getFields()[name] : undefined;
      if (!field) {
        problems.push(`field ${leaf}`);
        break;
      }
      type = field.type;
    }
  }
  return problems;
}

describe("dev-health-web's contract", () => {
  it('is beside the repository', () => {
    expect(existsSync(OPERATIONS_FILE)).toBe(true);
  });

  it('has every in-scope operation answered (25 of 25)', () => {
    const operations = JSON.parse(readFileSync(OPERATIONS_FILE, 'utf8')) as Operation[];
    const inScope = operations.filter((operation) => operation.in_scope).map((operation) => operation.name);
    expect(inScope).toHaveLength(25);
    expect([...ANSWERED].sort()).toEqual([...inScope].sort());
  });

  it.each(ANSWERED)('%s stays answerable by the checked-in schema', (name) => {
    const operations = JSON.parse(readFileSync(OPERATIONS_FILE, 'utf8')) as Operation[];
    const operation = operations.find((candidate) => candidate.name === name);
    expect(operation?.in_scope).toBe(true);
    const schema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
    const root =
      operation?.kind === 'subscription'
        ? schema.getSubscriptionType()
        : operation?.kind === 'mutation'
          ? schema.getMutationType()
          : schema.getQueryType();
    expect(operation ? missing(root, operation) : ['not in operations.json']).toEqual([]);
  });
});
