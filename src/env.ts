/** The Worker's bindings: the KV namespace plus the settings of `wrangler.toml` and secrets. */
import type { KeyValueStore } from "./platform.ts";
import type { SyncDeps } from "./sync/run.ts";

/** What Cloudflare passes as `env`. Settings arrive as strings; see `src/settings/`. */
export interface Env {
  SYNC_STATE: KeyValueStore;
  /** The version metadata binding (`[version_metadata]`): a new id with every deploy. */
  CF_VERSION_METADATA?: { id?: string };
  [setting: string]: unknown;
}

/** What a sync run of the Worker gets from `env`: the KV namespace and the deployed version. */
export function workerDeps(env: Env): SyncDeps {
  return { store: env.SYNC_STATE, build: env.CF_VERSION_METADATA?.id ?? "" };
}
