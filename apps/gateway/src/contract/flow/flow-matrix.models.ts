import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DimensionInput } from '../catalog/catalog.resolver';
import { DateScalar, FilterInput } from '../shared/filters';

/** What a flow is measured in. The flow matrix counts (COUNT); the others belong to other analytics. */
export enum MeasureInput {
  COUNT = 'COUNT',
  CHURN_LOC = 'CHURN_LOC',
  CYCLE_TIME_HOURS = 'CYCLE_TIME_HOURS',
  THROUGHPUT = 'THROUGHPUT',
}
registerEnumType(MeasureInput, { name: 'MeasureInput' });

@InputType({ description: 'Inclusive UTC days.' })
export class DateRangeInput {
  @Field(() => DateScalar) startDate!: string;
  @Field(() => DateScalar) endDate!: string;
}

@InputType({ description: 'The flow between values of one dimension (docs/metrics.md, Flow matrix).' })
export class FlowMatrixRequestInput {
  @Field(() => DimensionInput, { description: 'TEAM, REPO or WORK_TYPE.' }) dimension!: DimensionInput;
  @Field(() => MeasureInput, { description: 'COUNT.' }) measure!: MeasureInput;
  @Field(() => DateRangeInput) dateRange!: DateRangeInput;
  @Field(() => Int, { defaultValue: 100 }) maxNodes!: number;
  @Field(() => Int, { defaultValue: 500 }) maxEdges!: number;
  @Field(() => Boolean, { nullable: true, defaultValue: null, description: 'Accepted; no investment view applies.' })
  useInvestment?: boolean | null;
}

@InputType({ description: 'A batch of analytics: the flow matrix.' })
export class AnalyticsRequestInput {
  @Field(() => FlowMatrixRequestInput, { nullable: true, defaultValue: null })
  flowMatrix?: FlowMatrixRequestInput | null;
  @Field(() => Boolean, { nullable: true, defaultValue: null }) useInvestment?: boolean | null;
  @Field(() => FilterInput, { nullable: true, defaultValue: null, description: 'Not applied to the flow matrix.' })
  filters?: FilterInput | null;
}

@ObjectType()
export class SankeyNode {
  @Field(() => String, { description: '<dimension>:<value>, e.g. repo:acme/api.' }) id!: string;
  @Field(() => String) label!: string;
  @Field(() => String, { description: 'team, repo or work_type.' }) dimension!: string;
  @Field(() => Float, { nullable: true, description: 'The flow touching the node (out + in, a self-link once).' })
  value!: number | null;
}

@ObjectType()
export class SankeyEdge {
  @Field(() => String, { description: 'A node id.' }) source!: string;
  @Field(() => String, { description: 'A node id.' }) target!: string;
  @Field(() => Float, { nullable: true }) value!: number | null;
}

@ObjectType()
export class FlowMatrixResult {
  @Field(() => [SankeyNode]) nodes!: SankeyNode[];
  @Field(() => [SankeyEdge], { description: 'Directed: source → target.' }) edges!: SankeyEdge[];
  @Field(() => String, { nullable: true, description: 'Why the matrix is empty, when it is.' })
  degradedReason!: string | null;
}

@ObjectType()
export class AnalyticsResult {
  @Field(() => FlowMatrixResult, { nullable: true }) flowMatrix!: FlowMatrixResult | null;
}
