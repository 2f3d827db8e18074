/**
 * Runs the Calltouch emulator as its own process, for the demo and the benchmark:
 * `deno run -A test/emulators/calltouch_main.ts [--port N] [--site-id ID] [--token KEY]`.
 * Prints one line `CALLTOUCH_EMULATOR <url>` and serves until killed; control it through the
 * admin API under `/_emulator/`.
 */
import { parseArgs } from "node:util";
import { startCalltouchEmulator } from "./calltouch.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    port: { type: "string", default: "0" },
    "site-id": { type: "string" },
    token: { type: "string" },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got "${values.port}"`);
  Deno.exit(2);
}

const emulator = await startCalltouchEmulator({
  port,
  siteId: values["site-id"],
  token: values.token,
});
console.log(`CALLTOUCH_EMULATOR ${emulator.url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    await emulator.close();
    Deno.exit(0);
  });
}
