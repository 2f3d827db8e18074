/** Private `fetch` helpers of the Google side: a per-request timeout that leaves no timer behind. */

/** Thrown (as the `cause` of an `UpstreamError`) when a request outlives its time limit. */
export class RequestTimeout extends Error {
  override readonly name = "RequestTimeout";
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/**
 * Calls `fetchFn` and reads the whole body as text, aborting both after `ms` milliseconds (real
 * time). Rejects with {@linkcode RequestTimeout} on timeout and with the fetch error otherwise.
 */
export async function fetchText(
  fetchFn: typeof fetch,
  url: string,
  init: RequestInit,
  ms: number,
): Promise<{ response: Response; text: string }> {
  const { response, body } = await fetchBody(fetchFn, url, init, ms, (r) => r.text());
  return { response, text: body };
}

/** {@linkcode fetchText}, reading the body with `read` (e.g. as bytes). */
export async function fetchBody<T>(
  fetchFn: typeof fetch,
  url: string,
  init: RequestInit,
  ms: number,
  read: (response: Response) => Promise<T>,
): Promise<{ response: Response; body: T }> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new RequestTimeout(ms));
  }, Math.max(0, ms));
  try {
    const response = await fetchFn(url, { ...init, signal: controller.signal });
    const body = await read(response);
    return { response, body };
  } catch (error) {
    if (timedOut) throw new RequestTimeout(ms);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Names a network failure without echoing URLs or headers. */
export function describeNetworkError(error: unknown): string {
  if (error instanceof RequestTimeout) return error.message;
  if (error instanceof Error) return error.name === "TypeError" ? "network error" : error.name;
  return "network error";
}

/** Parses JSON, returning `undefined` instead of throwing. */
export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
