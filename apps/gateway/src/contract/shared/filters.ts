import { Field, InputType, registerEnumType } from '@nestjs/graphql';
import { GraphQLScalarType, Kind } from 'graphql';

export enum ScopeLevelInput {
  ORG = 'ORG',
  TEAM = 'TEAM',
  REPO = 'REPO',
  SERVICE = 'SERVICE',
  DEVELOPER = 'DEVELOPER',
}
registerEnumType(ScopeLevelInput, { name: 'ScopeLevelInput' });

@InputType()
export class ScopeFilterInput {
  @Field(() => ScopeLevelInput, { defaultValue: ScopeLevelInput.ORG }) level!: ScopeLevelInput;
  @Field(() => [String], { defaultValue: [] }) ids!: string[];
}

@InputType()
export class WhoFilterInput {
  @Field(() => [String], { nullable: true, defaultValue: null }) developers?: string[] | null;
  @Field(() => [String], { nullable: true, defaultValue: null }) roles?: string[] | null;
}

@InputType()
export class WhatFilterInput {
  @Field(() => [String], { nullable: true, defaultValue: null, description: 'Repository ids or full names.' })
  repos?: string[] | null;
  @Field(() => [String], { nullable: true, defaultValue: null }) services?: string[] | null;
}

@InputType()
export class WhyFilterInput {
  @Field(() => [String], { nullable: true, defaultValue: null }) workCategory?: string[] | null;
  @Field(() => [String], { nullable: true, defaultValue: null }) issueType?: string[] | null;
}

@InputType()
export class HowFilterInput {
  @Field(() => [String], { nullable: true, defaultValue: null }) flowStage?: string[] | null;
}

@InputType({ description: 'Who, what, why and how a view is narrowed to; every member optional.' })
export class FilterInput {
  @Field(() => ScopeFilterInput, { nullable: true, defaultValue: null }) scope?: ScopeFilterInput | null;
  @Field(() => WhoFilterInput, { nullable: true, defaultValue: null }) who?: WhoFilterInput | null;
  @Field(() => WhatFilterInput, { nullable: true, defaultValue: null }) what?: WhatFilterInput | null;
  @Field(() => WhyFilterInput, { nullable: true, defaultValue: null }) why?: WhyFilterInput | null;
  @Field(() => HowFilterInput, { nullable: true, defaultValue: null }) how?: HowFilterInput | null;
}

/** A calendar date, YYYY-MM-DD (the contract's `Date`). */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'Date (isoformat)',
  serialize: (value) => {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
    throw new TypeError('Date must be YYYY-MM-DD');
  },
  parseValue: (value) => {
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)))
      return value;
    throw new TypeError('Date must be YYYY-MM-DD');
  },
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING && /^\d{4}-\d{2}-\d{2}$/.test(ast.value)) return ast.value;
    throw new TypeError('Date must be YYYY-MM-DD');
  },
});

/** The UTC day (YYYY-MM-DD) an instant falls on. */
export const dayOf = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);

/** Epoch ms of a YYYY-MM-DD day's start (UTC). */
export const dayStartMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);
export const DAY_MS = 86_400_000;

/** An array column as both drivers return it (anything else is none), its strings only. */
export const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
