import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@dev-health/control-plane';
import { ControlPlaneStore, ReplayJobStore } from '@dev-health/postgres';
import { ApiKeyGuard, Caller, Write, requireAccess } from './auth';
import { TaskDispatcher } from './task-dispatcher';
import { replayRequest } from './views';

/**
 * Replays: one stage (processor, sink-<store>, metrics) reprocesses its input topics for one org from a
 * point, beside its live consumers, without calling any provider. Progress is offsets done/total per
 * partition, reported by the stage.
 */
@Controller('api/v1/orgs/:org/replays')
@UseGuards(ApiKeyGuard)
@ApiTags('replays')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'no valid API key' })
@ApiResponse({ status: 404, description: 'not found, or not in one of the key’s organizations' })
export class ReplayController {
  constructor(
    @Inject(ControlPlaneStore) private readonly store: ControlPlaneStore,
    @Inject(ReplayJobStore) private readonly replays: ReplayJobStore,
    @Inject(TaskDispatcher) private readonly dispatcher: TaskDispatcher,
  ) {}

  @Post()
  @ApiOperation({
    summary:
      'Queue a replay { stage, from: "earliest" | ISO instant | [{ topic, partition, offset }], to?: ISO instant }',
  })
  @ApiResponse({ status: 202, description: 'the replay, queued; its stage captures the end offsets when it starts' })
  @ApiResponse({ status: 400, description: 'a field is invalid (named)' })
  @ApiResponse({ status: 409, description: 'the org used all its processor reprocessing generations' })
  @Write()
  @HttpCode(202)
  async create(@Caller() caller: Principal, @Param('org') org: string, @Body() body: unknown) {
    requireAccess(caller, org, 'write');
    await this.store.getOrganization(org);
    const job = await this.replays.create(org, replayRequest(body, Date.now()));
    await this.dispatcher.dispatchNow(job);
    return this.replays.get(job.id);
  }

  @Get()
  @ApiOperation({ summary: 'Replays of an organization, newest first' })
  async list(@Caller() caller: Principal, @Param('org') org: string) {
    requireAccess(caller, org, 'read');
    return this.replays.list(org);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A replay: state, offsets done/total overall and per partition' })
  async get(@Caller() caller: Principal, @Param('org') org: string, @Param('id') id: string) {
    requireAccess(caller, org, 'read');
    return this.replays.get(id, [org]);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Cancel a replay: its stage stops it and confirms (what was replayed stays)' })
  @Write()
  @HttpCode(200)
  async cancel(@Caller() caller: Principal, @Param('org') org: string, @Param('id') id: string) {
    requireAccess(caller, org, 'write');
    const job = await this.replays.requestCancel(id, [org]);
    if (job.status === 'running' || job.status === 'queued') await this.dispatcher.cancel(job);
    return job;
  }
}
