export interface WaitForOptions {
  /** What is awaited, for the error message. */
  description: string;
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls until `probe` returns a value other than undefined/false, and returns it.
 * Errors thrown by the probe count as "not yet"; the last one is reported on timeout.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitForOptions,
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error: unknown) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `: last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.description}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Waits until every named consumer group has committed all there is and `read` returns the same twice
 * in a row, then returns that reading: what a test reads after it cannot change by a late recompute.
 */
export async function waitForSettled<T>(
  groupLag: (group: string) => Promise<number>,
  groups: readonly string[],
  read: () => Promise<T>,
  options: Partial<WaitForOptions> = {},
): Promise<T> {
  let previous: string | undefined;
  return waitFor(
    async () => {
      const lags = await Promise.all(groups.map((group) => groupLag(group)));
      const reading = await read();
      const now = JSON.stringify(reading);
      const settled = lags.every((lag) => lag === 0) && now === previous;
      previous = now;
      return settled ? { reading } : undefined;
    },
    {
      description: options.description ?? 'the pipeline to settle',
      timeoutMs: options.timeoutMs ?? 120_000,
      intervalMs: options.intervalMs ?? 1_000,
    },
  ).then(({ reading }) => reading);
}
