import { registerSecret } from '@dev-health/observability';

/** Thrown at boot when configuration is invalid; names every offending variable at once. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

interface Common<T> {
  default?: T;
  /** Secrets are registered for redaction and never echoed in error messages. */
  secret?: boolean;
}

/**
 * Reads and validates environment variables. Problems are collected, not thrown one by one, so a
 * misconfigured deployment learns everything that is wrong from a single failed boot.
 */
export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  string(name: string, options: Common<string> = {}): string {
    const raw = this.raw(name);
    if (raw === undefined) {
      if (options.default !== undefined) return options.default;
      this.problems.push(`${name} is required`);
      return '';
    }
    if (options.secret) registerSecret(raw);
    return raw;
  }

  optionalString(name: string, options: { secret?: boolean } = {}): string | undefined {
    const raw = this.raw(name);
    if (raw !== undefined && options.secret) registerSecret(raw);
    return raw;
  }

  int(name: string, options: Common<number> & { min?: number; max?: number } = {}): number {
    const raw = this.raw(name);
    if (raw === undefined) {
      if (options.default !== undefined) return options.default;
      this.problems.push(`${name} is required`);
      return 0;
    }
    const value = Number(raw);
    if (!Number.isInteger(value)) {
      this.problems.push(`${name} must be an integer, got "${raw}"`);
      return 0;
    }
    if (options.min !== undefined && value < options.min)
      this.problems.push(`${name} must be >= ${options.min}, got ${value}`);
    if (options.max !== undefined && value > options.max)
      this.problems.push(`${name} must be <= ${options.max}, got ${value}`);
    return value;
  }

  boolean(name: string, options: Common<boolean> = {}): boolean {
    const raw = this.raw(name)?.toLowerCase();
    if (raw === undefined) return options.default ?? false;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false, got "${raw}"`);
    return false;
  }

  list(name: string, options: Common<string[]> & { minItems?: number } = {}): string[] {
    const raw = this.raw(name);
    if (raw === undefined) {
      if (options.default !== undefined) return options.default;
      this.problems.push(`${name} is required`);
      return [];
    }
    const items = raw
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    if (options.minItems !== undefined && items.length < options.minItems) {
      this.problems.push(`${name} needs at least ${options.minItems} comma-separated value(s)`);
    }
    return items;
  }

  url(name: string, options: Common<string> & { protocols: string[] }): string {
    const value = this.string(name, options);
    if (!value) return value;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      this.problems.push(`${name} is not a valid URL${options.secret ? '' : `: "${value}"`}`);
      return value;
    }
    if (!options.protocols.includes(parsed.protocol.replace(/:$/, ''))) {
      this.problems.push(
        `${name} must use ${options.protocols.join(' or ')}, got ${parsed.protocol.replace(/:$/, '')}`,
      );
    }
    if (parsed.password) registerSecret(decodeURIComponent(parsed.password));
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], options: Common<T> = {}): T {
    const raw = this.raw(name);
    if (raw === undefined) {
      if (options.default !== undefined) return options.default;
      this.problems.push(`${name} is required (one of ${allowed.join(', ')})`);
      return allowed[0] as T;
    }
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
      return allowed[0] as T;
    }
    return raw as T;
  }

  json<T>(name: string, validate: (value: unknown) => string | undefined, options: Common<T> = {}): T {
    const raw = this.raw(name);
    if (raw === undefined) {
      if (options.default !== undefined) return options.default;
      this.problems.push(`${name} is required`);
      return undefined as T;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error: unknown) {
      this.problems.push(`${name} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      return undefined as T;
    }
    const problem = validate(value);
    if (problem) this.problems.push(`${name} ${problem}`);
    return value as T;
  }

  /** Adds a cross-field problem found by the caller. */
  problem(message: string): void {
    this.problems.push(message);
  }

  /** Throws ConfigError if anything read so far was invalid. */
  done(): void {
    if (this.problems.length > 0) throw new ConfigError([...this.problems]);
  }

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }
}

/** The process environment; the one place that reads it. */
export function processEnvironment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}
