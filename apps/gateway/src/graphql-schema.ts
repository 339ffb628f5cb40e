import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { MetricsResolver } from './metrics.resolver';
import { CONTRACT_RESOLVERS } from './contract/contract.providers';
import { LiveResolver } from './live/live.resolver';

/** The code-first schema as SDL, sorted: what apps/gateway/schema.gql must contain. */
export async function buildSchemaSdl(): Promise<string> {
  const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  try {
    const schema = await app.get(GraphQLSchemaFactory).create([MetricsResolver, ...CONTRACT_RESOLVERS, LiveResolver]);
    return `${printSchema(lexicographicSortSchema(schema))}\n`;
  } finally {
    await app.close();
  }
}
