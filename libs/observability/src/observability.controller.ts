import { Controller, Get, Header, HttpCode, HttpException, HttpStatus, Inject } from '@nestjs/common';
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
