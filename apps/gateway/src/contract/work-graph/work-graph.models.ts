import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfo } from '../forecasts/forecasts.models';

/** The contract's node and edge vocabularies; this graph produces a subset (docs/metrics.md, Work graph). */
export const NODE_TYPES = [
  'ISSUE',
  'PR',
  'COMMIT',
  'FILE',
  'RELEASE',
  'FEATURE_FLAG',
  'AI_WORKFLOW_RUN',
  'DIFF',
  'REVIEW_OUTCOME',
  'DEPLOYMENT',
  'INCIDENT',
] as const;
export const EDGE_TYPES = [
  'BLOCKS',
  'RELATES',
  'DUPLICATES',
  'IS_BLOCKED_BY',
  'IS_RELATED_TO',
  'IS_DUPLICATE_OF',
  'PARENT_OF',
  'CHILD_OF',
  'REFERENCES',
  'IMPLEMENTS',
  'FIXES',
  'CONTAINS',
  'TOUCHES',
  'INTRODUCED_BY',
  'CONFIG_CHANGED_BY',
  'GUARDS',
  'IMPACTS',
  'HAS_AI_WORKFLOW',
  'GENERATES',
  'HAS_REVIEW_OUTCOME',
  'DEPLOYS',
  'LINKED_INCIDENT',
] as const;
const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((value) => [value, value])) as Record<T, T>;
export const WorkGraphNodeType = enumOf(NODE_TYPES);
export const WorkGraphNodeTypeInput = enumOf(NODE_TYPES);
export const WorkGraphEdgeType = enumOf(EDGE_TYPES);
export const WorkGraphEdgeTypeInput = enumOf(EDGE_TYPES);
export const WorkGraphProvenance = enumOf(['NATIVE', 'EXPLICIT_TEXT', 'HEURISTIC'] as const);
registerEnumType(WorkGraphNodeType, { name: 'WorkGraphNodeType' });
registerEnumType(WorkGraphNodeTypeInput, { name: 'WorkGraphNodeTypeInput' });
registerEnumType(WorkGraphEdgeType, { name: 'WorkGraphEdgeType' });
registerEnumType(WorkGraphEdgeTypeInput, { name: 'WorkGraphEdgeTypeInput' });
registerEnumType(WorkGraphProvenance, {
  name: 'WorkGraphProvenance',
  description: 'NATIVE: the provider links them; EXPLICIT_TEXT: a reference written in text (an issue key).',
});

@InputType()
export class WorkGraphEdgeFilterInput {
  @Field(() => [String], { nullable: true, defaultValue: null }) repoIds?: string[] | null;
  @Field(() => WorkGraphNodeTypeInput, { nullable: true, defaultValue: null }) sourceType?: string | null;
  @Field(() => WorkGraphNodeTypeInput, { nullable: true, defaultValue: null }) targetType?: string | null;
  @Field(() => WorkGraphEdgeTypeInput, { nullable: true, defaultValue: null }) edgeType?: string | null;
  @Field(() => String, { nullable: true, defaultValue: null, description: 'Edges touching this node.' })
  nodeId?: string | null;
  @Field(() => Int, { defaultValue: 1000, description: 'At most 5,000.' }) limit!: number;
}

@ObjectType()
export class WorkGraphEdgeResult {
  @Field(() => String) edgeId!: string;
  @Field(() => WorkGraphNodeType) sourceType!: string;
  @Field(() => String) sourceId!: string;
  @Field(() => String, { nullable: true }) sourceDisplayName!: string | null;
  @Field(() => WorkGraphNodeType) targetType!: string;
  @Field(() => String) targetId!: string;
  @Field(() => String, { nullable: true }) targetDisplayName!: string | null;
  @Field(() => WorkGraphEdgeType) edgeType!: string;
  @Field(() => WorkGraphProvenance) provenance!: string;
  @Field(() => Float) confidence!: number;
  @Field(() => String) evidence!: string;
  @Field(() => String, { nullable: true }) repoId!: string | null;
  @Field(() => String, { nullable: true }) provider!: string | null;
  @Field(() => String, { nullable: true, description: 'Not classified yet: null.' }) theme!: string | null;
  @Field(() => String, { nullable: true, description: 'Not classified yet: null.' }) subcategory!: string | null;
}

@ObjectType()
export class WorkGraphEdgesResult {
  @Field(() => [WorkGraphEdgeResult]) edges!: WorkGraphEdgeResult[];
  @Field(() => Int) totalCount!: number;
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => String, { nullable: true, description: 'Why the graph may be thin: no links recorded yet.' })
  degradedReason!: string | null;
}

@ObjectType()
export class WorkGraphFlowRow {
  @Field(() => WorkGraphNodeType) nodeType!: string;
  @Field(() => Int) inflow!: number;
  @Field(() => Int) outflow!: number;
}

@ObjectType()
export class WorkGraphFlowResult {
  @Field(() => [WorkGraphFlowRow]) rows!: WorkGraphFlowRow[];
  @Field(() => String, { nullable: true }) degradedReason!: string | null;
}

@ObjectType()
export class WorkGraphArtifactRow {
  @Field(() => WorkGraphNodeType) nodeType!: string;
  @Field(() => String) nodeId!: string;
  @Field(() => String, { nullable: true }) displayName!: string | null;
  @Field(() => Int, { description: 'Edges touching it.' }) degree!: number;
  @Field(() => String, { nullable: true, description: 'The evidence of one of its edges.' }) evidence!: string | null;
}

@ObjectType()
export class WorkGraphArtifactsResult {
  @Field(() => [WorkGraphArtifactRow]) rows!: WorkGraphArtifactRow[];
  @Field(() => String, { nullable: true }) degradedReason!: string | null;
}
