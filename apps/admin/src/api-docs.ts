import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/*
 * Request bodies as OpenAPI documents them. Validation happens in the control-plane store, which
 * names every offending field; these classes describe, they do not validate.
 */

export class CreateOrganizationBody {
  @ApiProperty({ example: 'acme', description: 'lower-case letters, digits, inner hyphens; at most 40' })
  slug!: string;
  @ApiProperty({ example: 'Acme Inc.' })
  name!: string;
  @ApiPropertyOptional({ enum: ['community', 'team', 'enterprise'], default: 'community' })
  tier?: string;
}

export class CreateIntegrationBody {
  @ApiProperty({ enum: ['git', 'github', 'gitlab', 'jira', 'synthetic'] })
  provider!: string;
  @ApiProperty({ example: 'github', description: 'unique within the organization' })
  name!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { owner: 'acme-inc', repositories: ['api'] },
    description:
      'git: {paths}; github: {owner, repositories?}; gitlab: {group, projects?}; jira: {projects?, jql?}; synthetic: {seed?, days?, repos?, people?}',
  })
  scope!: Record<string, unknown>;
  @ApiPropertyOptional({
    nullable: true,
    minimum: 60,
    maximum: 604_800,
    description: 'seconds between scheduled syncs',
  })
  schedule_interval_seconds?: number | null;
  @ApiPropertyOptional({ default: true })
  enabled?: boolean;
  @ApiPropertyOptional({
    nullable: true,
    example: 'env:GITHUB_TOKEN',
    description: 'write-only: env:<VARIABLE> or file:<absolute path> the connector reads; never the token itself',
  })
  credential_ref?: string | null;
}

export class UpdateIntegrationBody {
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) scope?: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true }) schedule_interval_seconds?: number | null;
  @ApiPropertyOptional() enabled?: boolean;
  @ApiPropertyOptional({ nullable: true, description: 'write-only' }) credential_ref?: string | null;
}

export class SyncWindow {
  @ApiProperty({ example: '2026-11-01', description: 'ISO 8601 date or instant, inclusive' }) start!: string;
  @ApiProperty({ example: '2026-12-01', description: 'ISO 8601 date or instant, exclusive' }) end!: string;
}

export class SyncRequestBody {
  @ApiPropertyOptional({ enum: ['incremental', 'backfill'], default: 'incremental' })
  mode?: string;
  @ApiPropertyOptional({
    type: SyncWindow,
    description: 'backfill only; no deeper than the tier allows (community 30 days, team 90)',
  })
  window?: SyncWindow;
}

export class CreateApiKeyBody {
  @ApiProperty({ example: 'acme-ci', description: 'what the key is for' })
  name!: string;
  @ApiProperty({ enum: ['admin', 'viewer'], description: 'admin writes, viewer reads' })
  role!: string;
  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    example: ['acme'],
    description: 'the orgs it may touch; null or absent: every org (operator keys only may issue those)',
  })
  orgs?: string[] | null;
}
