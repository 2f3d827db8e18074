/** The Worker's stored state as a test reads it, and the run that leaves one deal held. */
import assert from "node:assert/strict";
import type { Rig } from "./e2e.ts";

/** The stored snapshot: the id of its key (`k`; none: unkeyed), and its entries by deal. */
export async function storedSnapshot(
  rig: Rig,
): Promise<{ k?: string; deals: Record<string, unknown[]> }> {
  const dump = await rig.kvDump();
  const key = [...dump.keys()].find((name) => name.endsWith(":state"));
  assert.ok(key, "a snapshot");
  return JSON.parse(dump.get(key)!);
}

/**
 * Syncs a first time (`created` deals created), then gets the deal whose status cell is
 * `statusCell` refused by Calltouch (held), then settles; returns the status column and how
 * many Calltouch requests were made by then.
 */
export async function syncWithOneHeld(rig: Rig, statusCell: string, created: number) {
  const first = await rig.sync();
  assert.equal(first.body.counts.created, created, JSON.stringify(first.body.error));
  rig.calltouch.refuseAll = true;
  rig.type(statusCell, [["Пришёл"]]);
  const refused = await rig.sync();
  assert.equal(refused.body.counts.held + refused.body.counts.failed, 1);
  rig.calltouch.refuseAll = false;
  await rig.sync(); // settles (its quiet record)
  return {
    statuses: rig.cells().map((row) => row.at(-1)),
    sent: rig.calltouch.requests.length,
  };
}
