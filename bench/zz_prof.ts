// Usage: cd <checkout> && deno run -A --v8-flags=--expose-gc <this copied to bench/zz_prof.ts> 10000 <configModule>
import { MemoryStore } from "../src/store/memory.ts";
import { runSync } from "../src/sync/run.ts";
import { testServiceAccount } from "../test/support/service_account.ts";
import { CalltouchEmulatorProcess, GoogleEmulatorProcess } from "./emulators.ts";
import { generateDeals } from "./generate.ts";
import { noWait, TAB } from "./runner.ts";
const rows = Number(Deno.args[0] ?? 10000);
const { loadConfig } = await import(Deno.args[1]);
const account = await testServiceAccount();
const google = await GoogleEmulatorProcess.start(account);
const calltouch = await CalltouchEmulatorProcess.start("12345", "token-prof-phases");
try {
  const spreadsheetId = `1Prof${rows}_abcdefghijklmnopqrstuvwxyz`;
  await google.createSpreadsheet({
    spreadsheetId,
    tab: TAB,
    values: generateDeals(rows).values,
    sharedWith: account.clientEmail,
  });
  const config = loadConfig({
    SPREADSHEET_ID: spreadsheetId,
    SHEET_NAME: TAB,
    CALLTOUCH_SITE_ID: calltouch.siteId,
    CALLTOUCH_TOKEN: calltouch.token,
    GOOGLE_SERVICE_ACCOUNT: account.json,
    GOOGLE_SHEETS_API_URL: google.url,
    GOOGLE_TOKEN_URL: `${google.url}/token`,
    CALLTOUCH_API_URL: calltouch.url,
    STATUS_LANGUAGE: "ru",
    SYNC_TIME_BUDGET_SECONDS: "840",
    MAX_SUBREQUESTS_PER_RUN: "100000",
    CALLTOUCH_MAX_REQUESTS_PER_RUN: "100000",
  });
  const { Session } = await import("node:inspector/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  (globalThis as { gc?: () => void }).gc?.();
  await session.post("Profiler.start");
  const t0 = performance.now();
  const report = await runSync(config, { store: new MemoryStore(), calltouchLimiter: noWait }, {
    trigger: "manual",
  });
  const wall = performance.now() - t0;
  // deno-lint-ignore no-explicit-any
  const { profile } = await session.post("Profiler.stop") as any;
  const self = new Map<number, number>();
  const deltas: number[] = profile.timeDeltas;
  profile.samples.forEach((id: number, i: number) =>
    self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0))
  );
  const byFn = new Map<string, number>();
  let busy = 0;
  // deno-lint-ignore no-explicit-any
  for (const node of profile.nodes as any[]) {
    const f = node.callFrame;
    const key = `${f.functionName || "(anon)"} ${String(f.url).split("/").slice(-2).join("/")}`;
    const us = self.get(node.id) ?? 0;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    if (f.functionName !== "(idle)") busy += us;
  }
  console.log(
    `created ${(report as { counts: { created: number } }).counts.created}, wall ${
      wall.toFixed(0)
    } ms, busy ${(busy / 1000).toFixed(0)} ms`,
  );
  const top = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, Number(Deno.env.get("TOP") ?? 40));
  for (const [k, us] of top) console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
} finally {
  await google.stop();
  await calltouch.stop();
}
