/** The Worker's bindings: the KV namespace plus the settings of `wrangler.toml` and secrets. */
import type { KeyValueStore } from "./platform.ts";

/** What Cloudflare passes as `env`. Settings arrive as strings; see `src/config.ts`. */
export interface Env {
  SYNC_STATE: KeyValueStore;
  [setting: string]: unknown;
}
