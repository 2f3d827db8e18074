/**
 * Runs the Calltouch emulator as its own process, for the demo and the benchmark:
 * `deno run -A test/emulators/calltouch_main.ts [--port N] [--site-id ID] [--token KEY]
 * [--rate-limit] [--no-bodies] [--time-scale S --time-origin MS]`. Prints one line
 * `CALLTOUCH_EMULATOR <url>` and serves until killed; control it through the admin API under
 * `/_emulator/`. `--time-scale` runs its clock S times faster from `--time-origin` (epoch ms; the
 * benchmark's scaled time, see `ScaledClock`); `--no-bodies` keeps requests without their bodies.
 */
import { parseArgs } from "node:util";
import { ScaledClock } from "../support/clock.ts";
import { startCalltouchEmulator } from "./calltouch.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    port: { type: "string", default: "0" },
    "site-id": { type: "string" },
    token: { type: "string" },
    "rate-limit": { type: "boolean", default: false },
    "no-bodies": { type: "boolean", default: false },
    "time-scale": { type: "string" },
    "time-origin": { type: "string" },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got "${values.port}"`);
  Deno.exit(2);
}

const scale = Number(values["time-scale"] ?? 1);
const clock = values["time-scale"]
  ? new ScaledClock(scale, Number(values["time-origin"] ?? Date.now()))
  : undefined;
const emulator = await startCalltouchEmulator({
  port,
  siteId: values["site-id"],
  token: values.token,
  rateLimit: values["rate-limit"],
  recordBodies: !values["no-bodies"],
  ...(clock ? { clock } : {}),
});
console.log(`CALLTOUCH_EMULATOR ${emulator.url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    await emulator.close();
    Deno.exit(0);
  });
}
