/**
 * `deno task setup-sheet`: prepares the deals tab of the configured spreadsheet (status column,
 * frozen header row, status colours, date format) and prints what it did. Safe to run again: a
 * prepared tab is left as it is.
 *
 * Settings as the Worker reads them: `wrangler.toml` `[vars]`, then `.dev.vars`, then the
 * environment (highest). Only SPREADSHEET_ID, SHEET_NAME, GOOGLE_SERVICE_ACCOUNT,
 * GOOGLE_SHEETS_API_URL, GOOGLE_TOKEN_URL and STATUS_LANGUAGE are used.
 *
 * Usage: deno task setup-sheet [--json] [--config-dir DIR]
 *   --json          print the report as JSON
 *   --config-dir    where wrangler.toml and .dev.vars are (default: the project root)
 */
import { ConfigError } from "../src/config.ts";
import { UpstreamError } from "../src/util/errors.ts";
import { setupSheetFromConfig } from "../src/setup/run.ts";
import { gatherSettings, loadSetupConfig } from "../src/setup/settings.ts";
import { KeyFileError, withKeyFile } from "../src/cli/key_file.ts";
import { helpAsked, withoutSeparators } from "./help.ts";

const USAGE = "Usage: deno task setup-sheet [--json] [--config-dir DIR]";
const HELP = `${USAGE}

Prepares the deals tab of the configured spreadsheet: the status column «Calltouch», a frozen
header row, the status colours and the date format. Safe to run again: a prepared tab is left as
it is. Settings: wrangler.toml [vars], then .dev.vars, then the environment (highest):
SPREADSHEET_ID, SHEET_NAME, GOOGLE_SERVICE_ACCOUNT (or GOOGLE_SERVICE_ACCOUNT_FILE=key.json in
the environment), STATUS_LANGUAGE, CALLTOUCH_STATS_TOKEN, GOOGLE_SHEETS_API_URL, GOOGLE_TOKEN_URL.

  --json            print the report as JSON
  --config-dir DIR  where wrangler.toml and .dev.vars are (default: the project root)
  -h, --help        print this text

Exit codes: 0 done (or nothing to do), 1 settings or Google refused, 2 bad arguments.`;

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Where the script writes; tests pass their own. */
export interface Output {
  log(text: string): void;
  error(text: string): void;
}

/**
 * Runs the setup and returns the exit code: 0 done (or nothing to do), 1 settings or Google
 * refused, 2 bad arguments.
 */
export async function main(
  args: string[],
  env: Record<string, string> = Deno.env.toObject(),
  out: Output = console,
): Promise<number> {
  let json = false;
  let configDir = decodeURIComponent(new URL("..", import.meta.url).pathname);
  if (helpAsked(args)) {
    out.log(HELP);
    return 0;
  }
  args = withoutSeparators(args);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--json") json = true;
    else if (args[i] === "--config-dir" && args[i + 1]) configDir = args[++i];
    else {
      out.error(USAGE);
      return 2;
    }
  }

  try {
    const settings = gatherSettings({
      wranglerToml: await readIfExists(`${configDir}/wrangler.toml`),
      devVars: await readIfExists(`${configDir}/.dev.vars`),
      env: await withKeyFile(env, Deno.cwd()),
    });
    const config = loadSetupConfig(settings);
    const report = await setupSheetFromConfig(config);
    out.log(json ? JSON.stringify(report, null, 2) : report.text);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      out.error(
        `${error.message}\nSet them in wrangler.toml [vars], .dev.vars or the environment (see sheets/README.md).`,
      );
      return 1;
    }
    if (error instanceof UpstreamError || error instanceof KeyFileError) {
      out.error(error.message);
      return 1;
    }
    throw error;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
