import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { ConflictError, NotFoundError, ValidationError } from '@dev-health/control-plane';
import { type Logger, redactSecrets } from '@dev-health/observability';

interface JsonResponse {
  status(code: number): { json(body: unknown): void };
}

/** Control-plane errors → 400 (every field named) / 404 / 409; anything unexpected → 500, logged, no details out. */
@Catch()
export class AdminErrorsFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    if (error instanceof ValidationError) {
      response.status(400).json({ error: 'invalid request', errors: error.problems });
      return;
    }
    if (error instanceof NotFoundError) {
      response.status(404).json({ error: error.message });
      return;
    }
    if (error instanceof ConflictError) {
      response.status(409).json({ error: error.message });
      return;
    }
    if (error instanceof HttpException) {
      const body = error.getResponse();
      const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      response.status(error.getStatus()).json({ error: Array.isArray(message) ? message.join('; ') : String(message) });
      return;
    }
    this.logger.error('admin request failed', {
      error: redactSecrets(error instanceof Error ? error.message : String(error)),
    });
    response.status(500).json({ error: 'internal error' });
  }
}
