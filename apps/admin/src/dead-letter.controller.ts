import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '@dev-health/control-plane';
import { ApiKeyGuard, Caller, Write, requireOperator } from './auth';
import { DeadLetterService } from './dead-letter-service';
import { DEAD_LETTER_PAGE, REDRIVE_MAX_SPAN, deadLetterPageRequest, redriveRequest } from './dead-letter-views';

export class RedriveBody {
  @ApiPropertyOptional({
    type: [String],
    example: ['3', '7'],
    description: `dead-letter offsets to redrive, within ${REDRIVE_MAX_SPAN} of each other`,
  })
  offsets?: string[];
  @ApiPropertyOptional({ description: 'every dead letter the partition keeps (instead of offsets)' })
  all?: boolean;
  @ApiPropertyOptional({ default: 0, description: 'dead-letter topics have one partition' })
  partition?: number;
}

class RedriveResultDoc {
  @ApiProperty() offset!: string;
  @ApiProperty({ enum: ['published', 'already-redriven', 'in-progress', 'not-found', 'not-redrivable'] })
  outcome!: string;
}

/**
 * Dead letters: records a consumer group could not process, on `<prefix>.dlq.<group>`, each with its
 * reason and source topic/partition/offset. They mix every org's records, so only keys for every org
 * may read them and only operator keys may redrive.
 */
@Controller('api/v1/dlq')
@UseGuards(ApiKeyGuard)
@ApiTags('dead letters')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'no valid API key' })
@ApiResponse({ status: 403, description: 'the key is limited to some organizations (or, to redrive, not an admin)' })
export class DeadLetterController {
  constructor(@Inject(DeadLetterService) private readonly deadLetters: DeadLetterService) {}

  @Get()
  @ApiOperation({ summary: 'Dead-letter groups: topic, records kept per partition, how many were redriven' })
  async groups(@Caller() caller: Principal) {
    requireEveryOrg(caller);
    return { groups: await this.deadLetters.groups() };
  }

  @Get(':group')
  @ApiOperation({
    summary: 'Dead letters of a group, oldest first: reason, source topic/partition/offset, org, redrive status',
  })
  @ApiQuery({ name: 'after', required: false, description: 'offset; records after it (the previous page’s next)' })
  @ApiQuery({
    name: 'limit',
    required: false,
    description: `at most ${DEAD_LETTER_PAGE.max}; ${DEAD_LETTER_PAGE.default} by default`,
  })
  @ApiQuery({ name: 'partition', required: false, description: '0 by default' })
  @ApiResponse({ status: 404, description: 'no dead-letter topic for that group' })
  async page(
    @Caller() caller: Principal,
    @Param('group') group: string,
    @Query('after') after?: string,
    @Query('limit') limit?: string,
    @Query('partition') partition?: string,
  ) {
    requireEveryOrg(caller);
    return this.deadLetters.page(group, deadLetterPageRequest({ after, limit, partition }));
  }

  @Get(':group/records/:offset')
  @ApiOperation({ summary: 'One dead letter with its value (decoded when it is Avro, and as base64)' })
  @ApiQuery({ name: 'partition', required: false, description: '0 by default' })
  @ApiResponse({ status: 404, description: 'no such group or offset' })
  async record(
    @Caller() caller: Principal,
    @Param('group') group: string,
    @Param('offset') offset: string,
    @Query('partition') partition?: string,
  ) {
    requireEveryOrg(caller);
    const request = deadLetterPageRequest({ after: offset, partition });
    return this.deadLetters.record(group, request.partition, offset);
  }

  @Post(':group/redrive')
  @ApiOperation({
    summary:
      'Publish dead letters back to their source topics (original key, value, headers; dho.redriven-from added). ' +
      'Each dead letter is published at most once: redriving it again reports already-redriven.',
  })
  @ApiBody({ type: RedriveBody })
  @ApiResponse({ status: 200, description: 'per offset, what happened', type: [RedriveResultDoc] })
  @ApiResponse({ status: 400, description: 'offsets missing or invalid, each field named' })
  @ApiResponse({ status: 404, description: 'no dead-letter topic for that group' })
  @ApiResponse({ status: 429, description: 'write rate exceeded; see Retry-After' })
  @Write()
  @HttpCode(200)
  async redrive(@Caller() caller: Principal, @Param('group') group: string, @Body() body: unknown) {
    requireOperator(caller, 'redrive dead letters');
    return this.deadLetters.redrive(group, redriveRequest(body), caller.keyId);
  }
}

/** Dead letters are not sorted by org (and poison may not even say which), so a key must see every org. */
function requireEveryOrg(principal: Principal): void {
  if (principal.orgs !== null)
    throw new HttpException(
      'only a key for every organization can read dead letters: they hold records of every org',
      HttpStatus.FORBIDDEN,
    );
}
