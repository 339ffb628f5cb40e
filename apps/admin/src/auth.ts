import {
  type CanActivate,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { NotFoundError, type Principal, access } from '@dev-health/control-plane';
import { ControlPlaneStore } from '@dev-health/postgres';
import { WriteRateLimit } from './write-rate-limit';

interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

const WRITE = 'dho:write';
/** Marks a handler that changes something: admin role only, rate-limited per key. */
export const Write = () => SetMetadata(WRITE, true);

/** The authenticated caller of this request. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new UnauthorizedException();
  return principal;
});

/** Bearer API keys (see generateApiKey): 401 without a valid one, 429 past the write rate. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(ControlPlaneStore) private readonly store: ControlPlaneStore,
    @Inject(WriteRateLimit) private readonly writes: WriteRateLimit,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const principal = token === '' ? null : await this.store.authenticate(token);
    if (!principal) {
      http.getResponse<{ setHeader(name: string, value: string): void }>().setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException('a valid API key is required: Authorization: Bearer dho_…');
    }
    request.principal = principal;
    if (this.reflector.get<boolean>(WRITE, context.getHandler())) {
      const wait = this.writes.take(principal.keyId);
      if (wait > 0) {
        http.getResponse<{ setHeader(name: string, value: string): void }>().setHeader('Retry-After', String(wait));
        throw new HttpException(`too many writes with this key; retry in ${wait} s`, HttpStatus.TOO_MANY_REQUESTS);
      }
    }
    return true;
  }
}

/** Throws unless the caller may read (or write) in `org`; another org's name is simply not found. */
export function requireAccess(principal: Principal, org: string, action: 'read' | 'write'): void {
  const verdict = access(principal, org, action);
  if (verdict === 'not-found') throw new NotFoundError(`organization ${org} not found`);
  if (verdict === 'forbidden')
    throw new HttpException(`the ${principal.role} role cannot change anything`, HttpStatus.FORBIDDEN);
}

/** Operator keys (every org, admin) only, e.g. for creating organizations. */
export function requireOperator(principal: Principal, action = 'create organizations'): void {
  if (principal.orgs !== null || principal.role !== 'admin')
    throw new HttpException(`only an operator key (admin of every org) can ${action}`, HttpStatus.FORBIDDEN);
}

/** Admin keys only (any scope): managing API keys. */
export function requireAdmin(principal: Principal): void {
  if (principal.role !== 'admin')
    throw new HttpException(`the ${principal.role} role cannot manage API keys`, HttpStatus.FORBIDDEN);
}
