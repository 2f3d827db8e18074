/** The error types shared by every part: settings problems and remote refusals. */

/**
 * Settings that cannot be used (thrown when the settings are read, and by the Google side for a
 * private key that cannot be read); `problems` has one line per bad setting, naming it, never
 * echoing a secret.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `- ${p}`).join("\n")}`);
  }
}

/** Which remote system refused or failed. */
export type Upstream = "google" | "calltouch";

/**
 * A remote API refused a request or could not be reached.
 *
 * `message` is written for the person who must act on it (a clinic administrator or the
 * integrator) and never contains secrets, phones or e-mails. `retryable` says whether the same
 * request may succeed later (network error, 429, 5xx); the retry helpers rely on it.
 */
export class UpstreamError extends Error {
  override readonly name = "UpstreamError";
  readonly upstream: Upstream;
  /** HTTP status, or undefined for a network error or timeout. */
  readonly status: number | undefined;
  readonly retryable: boolean;
  /** Delay the server asked for (Retry-After), if any. */
  readonly retryAfterMs: number | undefined;
  /**
   * What went wrong, for code that acts on it and for the words shown: `key` (credentials
   * refused), `url` (no such API at the configured address), `network`, `timeout`, `status`
   * (an HTTP status), or a side's own code; undefined for a plain refusal.
   */
  readonly code: string | undefined;

  constructor(
    message: string,
    options: {
      upstream: Upstream;
      status?: number;
      retryable: boolean;
      retryAfterMs?: number;
      code?: string;
      cause?: unknown;
    },
  ) {
    super(message, { cause: options.cause });
    this.upstream = options.upstream;
    this.status = options.status;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.code = options.code;
  }
}

/** True for HTTP statuses worth retrying: 408, 429 and every 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Parses a Retry-After header (seconds or HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
