import {
  Controller,
  type DynamicModule,
  Get,
  Header,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Module,
} from '@nestjs/common';
import { HealthState } from './health';
import { PipelineMetrics } from './metrics';

/** /healthz (alive), /readyz (ready to serve), /metrics (Prometheus) for every service. */
@Controller()
export class ObservabilityController {
  constructor(
    @Inject(HealthState) private readonly health: HealthState,
    @Inject(PipelineMetrics) private readonly metrics: PipelineMetrics,
  ) {}

  @Get('healthz')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  ready(): { status: 'ready'; checks: ReturnType<HealthState['snapshot']> } {
    const checks = this.health.snapshot();
    if (!this.health.ready) throw new HttpException({ status: 'not ready', checks }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ready', checks };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async prometheus(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

/** /healthz, /readyz and /metrics for a service without a Kafka runtime (gateway, admin). */
@Module({})
export class ObservabilityModule {
  static of(health: HealthState, metrics: PipelineMetrics): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [ObservabilityController],
      providers: [
        { provide: HealthState, useValue: health },
        { provide: PipelineMetrics, useValue: metrics },
      ],
    };
  }
}
