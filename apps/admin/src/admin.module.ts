import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Logger } from '@dev-health/observability';
import { BackfillJobStore, ControlPlaneStore } from '@dev-health/postgres';
import { AdminController } from './admin.controller';
import { BackfillController } from './backfill.controller';
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
    logger: Logger,
    observability: DynamicModule,
  ): DynamicModule {
    return {
      module: AdminModule,
      imports: [observability],
      controllers: [AdminController, BackfillController],
      providers: [
        ApiKeyGuard,
        { provide: ControlPlaneStore, useValue: store },
        { provide: BackfillJobStore, useValue: backfills },
        { provide: WriteRateLimit, useValue: writes },
        { provide: SyncDispatcher, useValue: dispatcher },
        { provide: APP_FILTER, useValue: new AdminErrorsFilter(logger) },
      ],
    };
  }
}
