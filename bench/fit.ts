/**
 * The capped-heap check, run by the benchmark in a child process whose V8 heap is capped
 * (`--v8-flags=--max-heap-size=<MB>`): the first sync, two no-change syncs and one round of 1%
 * changed deals of a `<rows>`-deal sheet, against the emulators the parent started. Prints one
 * line `FIT {json}` with the runs; when the sync needs more heap than the cap, V8 kills the
 * process ("Fatal JavaScript out of memory") and no such line appears.
 *
 * `deno run -A --v8-flags=--expose-gc,--max-heap-size=64 bench/fit.ts <rows> <google-url>
 * <calltouch-url> <site-id> <token>`, with the service-account key file's JSON in the
 * `BENCH_SERVICE_ACCOUNT` environment variable.
 */
import v8 from "node:v8";
import { CalltouchEmulatorProcess, GoogleEmulatorProcess } from "./emulators.ts";
import { BenchRunner } from "./runner.ts";

const [rows, googleUrl, calltouchUrl, siteId, token] = Deno.args;
const json = Deno.env.get("BENCH_SERVICE_ACCOUNT");
if (!rows || !googleUrl || !calltouchUrl || !siteId || !token || !json) {
  console.error("usage: fit.ts <rows> <google-url> <calltouch-url> <site-id> <token>");
  Deno.exit(2);
}
const runner = new BenchRunner({
  google: GoogleEmulatorProcess.attach(googleUrl),
  calltouch: CalltouchEmulatorProcess.attach(calltouchUrl, siteId, token),
  account: { clientEmail: JSON.parse(json).client_email, json },
  progress: (line) => console.error(line),
  idPrefix: "Fit",
});
const result = await runner.benchSize(Number(rows), {
  warmups: 0,
  noChange: 1,
  backToBack: 0,
  changedRounds: 1,
});
const limitMB = v8.getHeapStatistics().heap_size_limit / (1024 * 1024);
console.log(`FIT ${JSON.stringify({ limitMB, result })}`);
