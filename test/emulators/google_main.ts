/**
 * Runs the Google emulator as its own process, for the demo and the benchmark:
 * `deno run -A test/emulators/google_main.ts [--port N] [--public-key-file F] [--client-email E]
 * [--token-lifetime SECONDS]`. Prints one line `GOOGLE_EMULATOR <url>` and serves until killed.
 * Use `<url>` as GOOGLE_SHEETS_API_URL and `<url>/token` as GOOGLE_TOKEN_URL; control it through
 * the admin API under `/_emulator/` (create spreadsheets, share, faults, counters).
 *
 * The service account whose public key is in `--public-key-file` (SPKI PEM) is accepted as
 * `--client-email` (default: the test account's address); more can be registered with
 * `POST /_emulator/service-accounts {clientEmail, publicKeyPem}`.
 */
import { parseArgs } from "node:util";
import { startGoogleEmulator } from "./google.ts";

/** The test service account's address (see `test/support/service_account.ts`). */
const DEFAULT_CLIENT_EMAIL = "sync-bot@clinic-demo.iam.gserviceaccount.com";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    port: { type: "string", default: "0" },
    "public-key-file": { type: "string" },
    "client-email": { type: "string", default: DEFAULT_CLIENT_EMAIL },
    "token-lifetime": { type: "string" },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got "${values.port}"`);
  Deno.exit(2);
}
const lifetime = values["token-lifetime"] === undefined
  ? undefined
  : Number(values["token-lifetime"]);
if (lifetime !== undefined && !(Number.isInteger(lifetime) && lifetime > 0)) {
  console.error(
    `--token-lifetime must be a whole number of seconds, got "${values["token-lifetime"]}"`,
  );
  Deno.exit(2);
}
const keyFile = values["public-key-file"];
const serviceAccounts = keyFile
  ? [{ clientEmail: values["client-email"]!, publicKeyPem: await Deno.readTextFile(keyFile) }]
  : [];

const emulator = await startGoogleEmulator({
  port,
  serviceAccounts,
  tokenLifetimeSeconds: lifetime,
  // Many syncs against large sheets: keep memory flat.
  maxRecorded: 200,
});
console.log(`GOOGLE_EMULATOR ${emulator.url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    await emulator.close();
    Deno.exit(0);
  });
}
