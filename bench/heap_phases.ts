/**
 * Diagnostic: the live heap (after a full GC) at every I/O boundary of one first sync of
 * `<rows>` deals, labelled by what happened there. Finds what a sync holds at its peak.
 *
 * `deno run -A --v8-flags=--expose-gc bench/heap_phases.ts 50000`; with
 * `HEAP_SNAPSHOT_AT=:state` it also writes `/tmp/phases.heapsnapshot` (open it in Chrome's
 * DevTools) when the first KV key ending so is written.
 */
import v8 from "node:v8";
import { loadConfig } from "../src/settings/config.ts";
import type { KeyValueStore } from "../src/platform.ts";
import { CountingStore } from "../src/store/counting.ts";
import { OffHeapStore } from "./off_heap_store.ts";
import { runSync } from "../src/sync/run.ts";
import { testServiceAccount } from "../test/support/service_account.ts";
import { benchSettings, CalltouchEmulatorProcess, GoogleEmulatorProcess } from "./emulators.ts";
import { generateDeals } from "./generate.ts";
import { noWait, TAB } from "./runner.ts";

let snapshotTaken = false;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --v8-flags=--expose-gc");
const rows = Number(Deno.args[0] ?? 50_000);
const samples: [string, number][] = [];
const live = (label: string) => {
  gc!();
  samples.push([label, Deno.memoryUsage().heapUsed / 2 ** 20]);
};

/** The store, each operation logged with the live heap after it (a heap snapshot on demand). */
function probed(inner: KeyValueStore): KeyValueStore {
  return new CountingStore(inner, {
    observe: (operation) => {
      const name = (key: string | string[]) => String(key).split(":").slice(-2).join(":");
      if (operation.op === "put") {
        const snapshotAt = Deno.env.get("HEAP_SNAPSHOT_AT");
        if (snapshotAt && operation.key.endsWith(snapshotAt) && !snapshotTaken) {
          snapshotTaken = true;
          console.error(`heap snapshot: ${v8.writeHeapSnapshot("/tmp/phases.heapsnapshot")}`);
        }
        const chars = (operation.value.length / 1e6).toFixed(1);
        live(`kv put ${name(operation.key)} (${chars} M chars)`);
      } else if (operation.op === "get") live(`kv get ${name(operation.key)}`);
      else if (operation.op === "list") live("kv list");
    },
  });
}

const account = await testServiceAccount();
const google = await GoogleEmulatorProcess.start(account);
const calltouch = await CalltouchEmulatorProcess.start("12345", "token-heap-phases");
try {
  const spreadsheetId = `1HeapPhases${rows}_abcdefghijklmnopqrstuvwxyz`;
  let generated: ReturnType<typeof generateDeals> | undefined = generateDeals(rows);
  await google.createSpreadsheet({
    spreadsheetId,
    tab: TAB,
    values: generated.values,
    sharedWith: account.clientEmail,
  });
  generated = undefined;
  const wiring = { google, calltouch, account };
  const config = loadConfig(
    benchSettings(spreadsheetId, wiring, { MAX_SUBREQUESTS_PER_RUN: "100000" }),
  );
  const store = probed(new OffHeapStore());
  const fetching: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    live(`fetch ${new URL(url).pathname.split("/").slice(-2).join("/")}`);
    const res = await fetch(input, init);
    return res;
  };
  live("start");
  let calls = 0;
  await runSync(config, {
    store,
    fetch: fetching,
    calltouchLimiter: noWait,
    build: "bench",
    onProgress: () => {
      if (++calls % 100 === 0) live(`progress ${calls}`);
    },
  }, { trigger: "manual" });
  live("end");
} finally {
  await google.stop();
  await calltouch.stop();
}
let peak = samples[0];
const seen = new Set<string>();
for (const [label, mb] of samples) {
  if (mb > peak[1]) peak = [label, mb];
  const key = label.replace(/\d+/g, "#");
  if (!seen.has(key) || label.startsWith("kv put") && !label.includes("delta")) {
    seen.add(key);
    console.log(`${mb.toFixed(1).padStart(7)} MB  ${label}`);
  }
}
console.log(`peak ${peak[1].toFixed(1)} MB at ${peak[0]}`);
