/** The control panel's buttons and the run each starts. */
import type { SyncOptions } from "../sync/run.ts";

/** The buttons, in page order: each posts to `/actions/<name>`. */
export const PANEL_ACTIONS = ["sync", "dry-run", "retry-held"] as const;

export type PanelAction = (typeof PANEL_ACTIONS)[number];

export function isPanelAction(name: string): name is PanelAction {
  return (PANEL_ACTIONS as readonly string[]).includes(name);
}

/** The run a button starts: a sync, a dry run, or a sync that re-sends held deals. */
export function runOptionsOf(action: PanelAction): SyncOptions {
  if (action === "dry-run") return { trigger: "dry-run" };
  return { trigger: "manual", retryHeld: action === "retry-held" };
}
