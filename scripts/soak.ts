/**
 * The fault soak from the command line: `deno task soak --runs N --seed S [--seeds K]`.
 *
 * Runs the model-based randomized soak of `test/soak/soak.ts` (the Worker in workerd against the
 * Google and Calltouch emulators, with edits and faults drawn from the seed), prints progress
 * every 25 steps and each violation as it is found, and ends with one line per seed and a total.
 * Exit code 1 when any violation was found, 2 when the soak could not run.
 *
 * Options:
 *   --runs N     steps per seed (default 200)
 *   --seed S     first seed (default: from the clock, printed)
 *   --seeds K    seeds to run one after another: S, S+1, … (default 1)
 *   --upsert     Calltouch answers a duplicate create by updating (default: an error)
 *   --vary       each seed also draws Calltouch's undocumented behaviours (duplicate create,
 *                update of an unknown deal, error and result shapes)
 *   --trace      print every step (edits, faults, how the run ended)
 *   --json       end with one `SOAK {json}` line of the stats
 */
import { parseArgs } from "node:util";
import { normalizeSeed } from "../test/soak/random.ts";
import { runSoak, type SoakStats, varyCalltouch } from "../test/soak/soak.ts";
import { withoutSeparators } from "./help.ts";

const USAGE =
  "usage: deno task soak [--runs N] [--seed S] [--seeds K] [--upsert] [--vary] [--trace] [--json]";

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    console.error(`--${name} must be a whole number ≥ 1, got "${value}"\n${USAGE}`);
    Deno.exit(2);
  }
  return Number(value);
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: withoutSeparators(Deno.args),
      options: {
        runs: { type: "string" },
        seed: { type: "string" },
        seeds: { type: "string" },
        upsert: { type: "boolean" },
        vary: { type: "boolean" },
        trace: { type: "boolean" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const runs = positiveInt("runs", values.runs, 200);
  const seeds = positiveInt("seeds", values.seeds, 1);
  let first: number;
  if (values.seed === undefined) first = Date.now() % 1_000_000;
  else if (/^\d+$/.test(values.seed)) first = normalizeSeed(Number(values.seed));
  else {
    console.error(`--seed must be a whole number, got "${values.seed}"\n${USAGE}`);
    return 2;
  }

  let total = 0;
  const all: SoakStats[] = [];
  for (let i = 0; i < seeds; i++) {
    const seed = normalizeSeed(first + i);
    const calltouch = {
      ...(values.vary ? varyCalltouch(seed) : {}),
      ...(values.upsert ? { duplicateCreate: "upsert" as const } : {}),
    };
    const modes = Object.keys(calltouch).length > 0
      ? ` (Calltouch ${JSON.stringify(calltouch)})`
      : "";
    console.log(`soak: seed ${seed}, ${runs} runs${modes}`);
    let result;
    try {
      result = await runSoak({
        runs,
        seed,
        log: (line) => console.log(line),
        calltouch,
        trace: values.trace,
      });
    } catch (error) {
      console.error(
        `soak: seed ${seed} could not run: ${error instanceof Error ? error.stack : error}`,
      );
      return 2;
    }
    const { stats, violations } = result;
    all.push(stats);
    total += violations.length;
    const kinds = Object.entries(stats.violations).map(([k, n]) => `${k} ×${n}`).join(", ");
    console.log(
      `soak: ${runs} runs, seed ${seed}, ${violations.length} violations` +
        (kinds ? ` (${kinds})` : "") +
        ` — ${stats.okRuns} ok, ${stats.failedRuns} failed, ${stats.cutoffs} cut off, ` +
        `${stats.checkedRuns} checked, ${stats.calltouchRequests} Calltouch requests, ` +
        `${(stats.durationMs / 1000).toFixed(1)} s`,
    );
  }
  if (seeds > 1) {
    console.log(`soak: ${seeds} seeds from ${first}, ${runs} runs each, ${total} violations`);
  }
  if (values.json) console.log(`SOAK ${JSON.stringify(all)}`);
  return total > 0 ? 1 : 0;
}

Deno.exit(await main());
