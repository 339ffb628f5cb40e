import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Logger } from '@dev-health/observability';
import { BackfillJobStore, ControlPlaneStore, ReplayJobStore } from '@dev-health/postgres';
import { AdminController } from './admin.controller';
import { BackfillController } from './backfill.controller';
import { DeadLetterController } from './dead-letter.controller';
import { DeadLetterService } from './dead-letter-service';
import { ReplayController } from './replay.controller';
import { TaskDispatcher } from './task-dispatcher';
import { ApiKeyGuard } from './auth';
import { SyncDispatcher } from './sync-dispatcher';
import { AdminErrorsFilter } from './errors.filter';
import { WriteRateLimit } from './write-rate-limit';

@Module({})
export class AdminModule {
  static register(
    store: ControlPlaneStore,
    backfills: BackfillJobStore,
    writes: WriteRateLimit,
    dispatcher: SyncDispatcher,
    deadLetters: DeadLetterService,
    replays: ReplayJobStore,
    tasks: TaskDispatcher,
    logger: Logger,
    observability: DynamicModule,
  ): DynamicModule {
    return {
      module: AdminModule,
      imports: [observability],
      controllers: [AdminController, BackfillController, DeadLetterController, ReplayController],
      providers: [
        ApiKeyGuard,
        { provide: ControlPlaneStore, useValue: store },
        { provide: BackfillJobStore, useValue: backfills },
        { provide: WriteRateLimit, useValue: writes },
        { provide: SyncDispatcher, useValue: dispatcher },
        { provide: DeadLetterService, useValue: deadLetters },
        { provide: ReplayJobStore, useValue: replays },
        { provide: TaskDispatcher, useValue: tasks },
        { provide: APP_FILTER, useValue: new AdminErrorsFilter(logger) },
      ],
    };
  }
}
