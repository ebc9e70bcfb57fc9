/**
 * flex-fallback: try a request on the Flex tier (half price, slower, sometimes out of capacity) and, when Flex has no
 * capacity, run it once more on the standard tier. Written by `tierwise fix flex --fallback`; yours to edit.
 *
 *   const response = await withFlexFallback((serviceTier, requestOptions) =>
 *     client.responses.create({ ...body, service_tier: serviceTier }, { ...requestOptions, timeout: 15 * 60 * 1000 }),
 *   );
 *
 * - Flex answers `429 Resource Unavailable` (error code `resource_unavailable`) when it has no capacity; OpenAI does not
 *   charge for it and suggests retrying with `service_tier: 'auto'` (the Flex processing guide). Only that error falls
 *   back; any other error (a real rate limit, a 400, a timeout) is thrown as is.
 * - The SDK retries every 429 by itself (`maxRetries`, default 2) within a few seconds, which for a Flex capacity error
 *   only delays the fallback. So the Flex attempt gets `{ maxRetries: 0 }` (change with `flexMaxRetries`); pass
 *   `requestOptions` on to the SDK call. The standard-tier attempt gets `{}`: the client's own retry policy.
 */

export type FlexTier = 'flex' | 'auto';

/** Per-request options to spread into the SDK call's second argument. */
export interface FlexRequestOptions {
  maxRetries?: number;
}

export interface FlexFallbackOptions {
  /** SDK retries of the Flex attempt before falling back (default 0). */
  flexMaxRetries?: number;
  /** Called with the Flex error just before the standard-tier attempt (for logging or metrics). */
  onFallback?: (error: unknown) => void;
}

export async function withFlexFallback<T>(
  request: (serviceTier: FlexTier, requestOptions: FlexRequestOptions) => Promise<T>,
  options: FlexFallbackOptions = {},
): Promise<T> {
  try {
    return await request('flex', { maxRetries: options.flexMaxRetries ?? 0 });
  } catch (error) {
    if (!isFlexCapacityError(error)) throw error;
    options.onFallback?.(error);
    return request('auto', {});
  }
}

/** True for Flex's "no capacity" answer: HTTP 429 with code `resource_unavailable` (or that message). */
export function isFlexCapacityError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as {
    status?: unknown;
    code?: unknown;
    message?: unknown;
    error?: { code?: unknown };
  };
  if (e.status !== 429) return false;
  const code = e.code ?? e.error?.code;
  return code === 'resource_unavailable' || (typeof e.message === 'string' && /resource unavailable/i.test(e.message));
}
