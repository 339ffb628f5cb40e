import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  NotFoundError,
  type OrgTier,
  type Principal,
  type Role,
  ValidationError,
  mayManageKey,
} from '@dev-health/control-plane';
import { ControlPlaneStore, type IntegrationChanges, type NewIntegration } from '@dev-health/postgres';
import { ApiKeyGuard, Caller, Write, requireAccess, requireAdmin, requireOperator } from './auth';
import {
  CreateApiKeyBody,
  CreateIntegrationBody,
  CreateOrganizationBody,
  SyncRequestBody,
  UpdateIntegrationBody,
} from './api-docs';
import { SyncDispatcher } from './sync-dispatcher';
import { bodyOf, integrationView, syncRequest } from './views';

/** The admin REST API: organizations, integrations, syncs and their health. Every route needs an API key. */
@Controller('api/v1')
@UseGuards(ApiKeyGuard)
@ApiTags('admin')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'no valid API key' })
@ApiResponse({ status: 404, description: 'not found, or not in one of the key’s organizations' })
export class AdminController {
  constructor(
    @Inject(ControlPlaneStore) private readonly store: ControlPlaneStore,
    @Inject(SyncDispatcher) private readonly dispatcher: SyncDispatcher,
  ) {}

  /** The organization, if the caller may read (or write) in it and it exists; 404/403 otherwise. */
  private organization(caller: Principal, org: string, action: 'read' | 'write') {
    requireAccess(caller, org, action);
    return this.store.getOrganization(org);
  }

  @Get('orgs')
  @ApiOperation({ summary: 'The organizations this key can see' })
  async listOrganizations(@Caller() caller: Principal) {
    return { organizations: await this.store.listOrganizations(caller.orgs ?? undefined) };
  }

  @Post('orgs')
  @ApiOperation({ summary: 'Create an organization (operator keys only)' })
  @ApiBody({ type: CreateOrganizationBody })
  @ApiResponse({ status: 400, description: 'invalid fields, each named' })
  @ApiResponse({ status: 409, description: 'the slug exists' })
  @ApiResponse({ status: 429, description: 'write rate exceeded; see Retry-After' })
  @Write()
  async createOrganization(@Caller() caller: Principal, @Body() body: unknown) {
    requireOperator(caller);
    const fields = bodyOf(body);
    return this.store.createOrganization({
      slug: fields.slug as string,
      name: fields.name as string,
      tier: fields.tier as OrgTier | undefined,
    });
  }

  @Get('orgs/:org')
  @ApiOperation({ summary: 'One organization' })
  async getOrganization(@Caller() caller: Principal, @Param('org') org: string) {
    return this.organization(caller, org, 'read');
  }

  @Get('orgs/:org/integrations')
  @ApiOperation({ summary: 'The integrations of an organization (credentials write-only)' })
  async listIntegrations(@Caller() caller: Principal, @Param('org') org: string) {
    await this.organization(caller, org, 'read');
    return { integrations: (await this.store.listIntegrations(org)).map(integrationView) };
  }

  @Post('orgs/:org/integrations')
  @ApiOperation({ summary: 'Add an integration' })
  @ApiBody({ type: CreateIntegrationBody })
  @ApiResponse({ status: 400, description: 'invalid fields, each named' })
  @ApiResponse({ status: 403, description: 'viewer key' })
  @ApiResponse({ status: 409, description: 'the name exists in the organization' })
  @ApiResponse({ status: 429, description: 'write rate exceeded; see Retry-After' })
  @Write()
  async createIntegration(@Caller() caller: Principal, @Param('org') org: string, @Body() body: unknown) {
    await this.organization(caller, org, 'write');
    const fields = bodyOf(body);
    const integration = await this.store.createIntegration({
      org_id: org,
      provider: fields.provider as NewIntegration['provider'],
      name: fields.name as string,
      scope: fields.scope as NewIntegration['scope'],
      schedule_interval_seconds: fields.schedule_interval_seconds as number | null | undefined,
      enabled: fields.enabled as boolean | undefined,
      credential_ref: fields.credential_ref as string | null | undefined,
    });
    return integrationView(integration);
  }

  @Get('orgs/:org/integrations/:id')
  @ApiOperation({ summary: 'One integration' })
  async getIntegration(@Caller() caller: Principal, @Param('org') org: string, @Param('id') id: string) {
    requireAccess(caller, org, 'read');
    return integrationView(await this.store.getIntegration(id, [org]));
  }

  @Patch('orgs/:org/integrations/:id')
  @ApiOperation({ summary: 'Change, enable or disable an integration' })
  @ApiBody({ type: UpdateIntegrationBody })
  @ApiResponse({ status: 400, description: 'invalid fields, each named' })
  @ApiResponse({ status: 403, description: 'viewer key' })
  @Write()
  async updateIntegration(
    @Caller() caller: Principal,
    @Param('org') org: string,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    requireAccess(caller, org, 'write');
    const fields = bodyOf(body);
    const changes: IntegrationChanges = {};
    for (const field of ['name', 'scope', 'schedule_interval_seconds', 'enabled', 'credential_ref'] as const)
      if (field in fields) (changes as Record<string, unknown>)[field] = fields[field];
    return integrationView(await this.store.updateIntegration(id, changes, [org]));
  }

  @Post('orgs/:org/integrations/:id/syncs')
  @ApiOperation({
    summary: 'Request a sync; an integration already syncing returns its active run (created: false)',
  })
  @ApiBody({ type: SyncRequestBody })
  @ApiResponse({ status: 202, description: '{ run, created }' })
  @ApiResponse({ status: 400, description: 'invalid mode or window (named), or a window deeper than the tier allows' })
  @ApiResponse({ status: 409, description: 'the integration is disabled' })
  @Write()
  @HttpCode(202)
  async requestSync(
    @Caller() caller: Principal,
    @Param('org') org: string,
    @Param('id') id: string,
    @Body() body: unknown,
  ) {
    const { mode, window } = syncRequest(body, await this.organization(caller, org, 'write'), Date.now());
    const requested = await this.store.requestSync(id, mode, window, [org]);
    if (requested.created)
      await this.dispatcher.dispatchNow(requested.run, (await this.store.getIntegration(id, [org])).provider);
    return requested;
  }

  @Post('orgs/:org/syncs/:id/cancel')
  @ApiOperation({
    summary: 'Cancel an active sync run: a queued one never starts, a running one stops at its next heartbeat',
  })
  @ApiResponse({ status: 200, description: 'the run as it is now (cancelled, or how it ended if it ended first)' })
  @Write()
  @HttpCode(200)
  async cancelSync(@Caller() caller: Principal, @Param('org') org: string, @Param('id') id: string) {
    requireAccess(caller, org, 'write');
    return this.store.cancelRun(id, [org]);
  }

  @Get('orgs/:org/syncs')
  @ApiOperation({ summary: 'Sync runs of an organization, newest first' })
  @ApiQuery({ name: 'integration_id', required: false })
  @ApiQuery({ name: 'limit', required: false, description: 'at most 500; 50 by default' })
  async listSyncs(
    @Caller() caller: Principal,
    @Param('org') org: string,
    @Query('integration_id') integrationId?: string,
    @Query('limit') limit?: string,
  ) {
    await this.organization(caller, org, 'read');
    const runs = await this.store.listRuns(org, {
      ...(integrationId === undefined ? {} : { integrationId }),
      limit: limit === undefined ? 50 : Math.max(1, Number.parseInt(limit, 10) || 50),
    });
    return { runs };
  }

  @Get('orgs/:org/syncs/:id')
  @ApiOperation({ summary: 'One sync run: status, progress (records per entity), error with stage' })
  async getSync(@Caller() caller: Principal, @Param('org') org: string, @Param('id') id: string) {
    requireAccess(caller, org, 'read');
    return this.store.getRun(id, [org]);
  }

  @Get('orgs/:org/health')
  @ApiOperation({
    summary: 'Per integration: last success and what it ingested, last failure with stage and message, active run',
  })
  async health(@Caller() caller: Principal, @Param('org') org: string) {
    await this.organization(caller, org, 'read');
    return { integrations: await this.store.integrationHealth(org) };
  }

  @Get('keys')
  @ApiOperation({ summary: 'API keys this admin key may manage (operator: all; org admin: keys of its orgs)' })
  @ApiResponse({ status: 403, description: 'viewer keys cannot manage keys' })
  async listApiKeys(@Caller() caller: Principal) {
    requireAdmin(caller);
    return { keys: (await this.store.listApiKeys()).filter((key) => mayManageKey(caller, key.orgs)) };
  }

  @Post('keys')
  @ApiOperation({ summary: 'Issue an API key; its token is in this response only (only a hash is stored)' })
  @ApiBody({ type: CreateApiKeyBody })
  @ApiResponse({ status: 201, description: '{ id, name, role, orgs, token }' })
  @ApiResponse({ status: 400, description: 'invalid fields, each named' })
  @ApiResponse({ status: 403, description: 'a key over orgs (or all orgs) beyond the caller’s own' })
  @Write()
  async createApiKey(@Caller() caller: Principal, @Body() body: unknown) {
    requireAdmin(caller);
    const fields = bodyOf(body);
    const orgs = fields.orgs ?? null;
    if (orgs !== null && !(Array.isArray(orgs) && orgs.length > 0 && orgs.every((org) => typeof org === 'string')))
      throw new ValidationError([
        { field: 'orgs', message: 'must be a non-empty list of organization slugs, or null' },
      ]);
    if (!mayManageKey(caller, orgs)) {
      if (orgs === null) requireOperator(caller, 'issue keys for every organization');
      for (const org of orgs as string[]) requireAccess(caller, org, 'write');
      throw new NotFoundError('organization not found'); // unreachable: one of the checks above threw
    }
    const { principal, token } = await this.store.createApiKey({
      name: fields.name as string,
      role: fields.role as Role,
      orgs: orgs,
    });
    return { id: principal.keyId, name: principal.name, role: principal.role, orgs: principal.orgs, token };
  }

  @Delete('keys/:id')
  @ApiOperation({ summary: 'Revoke an API key at once (also the caller’s own)' })
  @ApiResponse({ status: 204, description: 'revoked' })
  @Write()
  @HttpCode(204)
  async revokeApiKey(@Caller() caller: Principal, @Param('id') id: string) {
    requireAdmin(caller);
    const key = await this.store.getApiKey(id);
    // A key the caller may not manage is reported as missing, like another org's resources.
    if (!mayManageKey(caller, key.orgs)) throw new NotFoundError(`API key ${id} not found`);
    await this.store.revokeApiKey(id);
  }
}
