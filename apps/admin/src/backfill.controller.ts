import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@dev-health/control-plane';
import { BackfillJobStore, ControlPlaneStore } from '@dev-health/postgres';
import { ApiKeyGuard, Caller, Write, requireAccess } from './auth';
import { backfillRequest } from './views';

/**
 * Backfill jobs: history on demand, in 7-day chunks run one after another by the admin service's
 * driver (each a backfill sync run), progress per chunk. Incremental watermarks are never moved.
 */
@Controller('api/v1/orgs/:org/backfills')
@UseGuards(ApiKeyGuard)
@ApiTags('backfills')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'no valid API key' })
@ApiResponse({ status: 404, description: 'not found, or not in one of the key’s organizations' })
export class BackfillController {
  constructor(
    @Inject(ControlPlaneStore) private readonly store: ControlPlaneStore,
    @Inject(BackfillJobStore) private readonly backfills: BackfillJobStore,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Queue a backfill job { integration, since, before }: 7-day chunks, run in order' })
  @ApiResponse({ status: 202, description: 'the job with its pending chunks' })
  @ApiResponse({
    status: 400,
    description: 'a field is invalid (named), or since is deeper than the tier allows (tier, limit, earliest date)',
  })
  @ApiResponse({ status: 409, description: 'the integration is disabled' })
  @Write()
  @HttpCode(202)
  async create(@Caller() caller: Principal, @Param('org') org: string, @Body() body: unknown) {
    requireAccess(caller, org, 'write');
    const request = backfillRequest(body, await this.store.getOrganization(org), Date.now());
    return this.backfills.create(request.integrationId, request.since, request.before, [org]);
  }

  @Get()
  @ApiOperation({ summary: 'Backfill jobs of an organization, newest first' })
  async list(@Caller() caller: Principal, @Param('org') org: string) {
    requireAccess(caller, org, 'read');
    return this.backfills.list(org);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A backfill job: its chunks (status, records, error) and overall progress' })
  async get(@Caller() caller: Principal, @Param('org') org: string, @Param('id') id: string) {
    requireAccess(caller, org, 'read');
    return this.backfills.get(id, [org]);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Cancel a backfill job: no further chunk starts, the running chunk is cancelled' })
  @Write()
  @HttpCode(200)
  async cancel(@Caller() caller: Principal, @Param('org') org: string, @Param('id') id: string) {
    requireAccess(caller, org, 'write');
    return this.backfills.cancel(id, [org]);
  }
}
