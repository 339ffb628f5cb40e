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
import { type CheckResult, HealthState } from './health';
import { PipelineMetrics } from './metrics';

/** /healthz (alive), /readyz (ready to serve), /metrics (Prometheus) for every service. */
@Controller()
export class ObservabilityController {
  constructor(
    @Inject(HealthState) private readonly health: HealthState,
    @Inject(PipelineMetrics) private readonly metrics: PipelineMetrics,
  ) {}

  /** Alive unless a liveness check finds the process stuck (a consumer with lag and no progress). */
  @Get('healthz')
  @HttpCode(200)
  async live(): Promise<{ status: 'ok' }> {
    const problems = await this.health.liveness();
    if (Object.keys(problems).length > 0)
      throw new HttpException({ status: 'stuck', problems }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ok' };
  }

  /** Ready when every named check holds and the broker, stores and registry answer now. */
  @Get('readyz')
  async ready(): Promise<{ status: 'ready'; checks: Record<string, CheckResult> }> {
    const { ready, checks } = await this.health.readiness();
    if (!ready) throw new HttpException({ status: 'not ready', checks }, HttpStatus.SERVICE_UNAVAILABLE);
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
