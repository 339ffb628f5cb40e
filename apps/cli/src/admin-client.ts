/** A failed admin API call: the status and the API's own message (it names invalid fields). */
export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The admin REST API as the CLI uses it: JSON in, JSON out, the API key as a bearer token. */
export class AdminClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.fetchImpl(`${this.baseUrl.replace(/\/$/, '')}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const parsed = (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
    if (!response.ok) {
      const problems = Array.isArray(parsed.errors)
        ? (parsed.errors as { field: string; message: string }[]).map(
            (problem) => `${problem.field} ${problem.message}`,
          )
        : [];
      const retry = response.headers.get('retry-after');
      throw new AdminApiError(
        response.status,
        [typeof parsed.error === 'string' ? parsed.error : response.statusText, ...problems].join('; ') +
          (retry ? ` (retry in ${retry} s)` : ''),
      );
    }
    return parsed as T;
  }
}
