/** The command-line tool's `--help` text: every command, option, setting and exit code. */
import { usageSettings } from "../settings/docs.ts";
import { DEFAULT_STATE_FILE } from "../store/file.ts";

/** The full help text. */
export const USAGE =
  `calltouch-sheet-sync: send a clinic's deals from a Google Sheet to Calltouch and write each
row's outcome into the sheet's status column, from a terminal or a server cron, with Deno or Bun.
No Cloudflare account needed; the Worker and this tool share the same sync.

Usage:
  deno run -A src/cli.ts <command> [options]
  bun run src/cli.ts <command> [options]
  deno task sync [options]                 (the sync command)
  deno task probe [options]                (the probe command)
  deno task setup-sheet [options]          (the setup command)

Commands:
  sync             Read the sheet, send new and changed deals to Calltouch (batches of 100,
                   at most 5 requests per second), remember what was sent in the state file,
                   and write the outcome of each row into the status column.
  sync --dry-run   Read the sheet and the state, print the plan and the exact Calltouch requests
                   that would be sent (with the patients' contacts, on purpose). Sends nothing,
                   writes nothing to the sheet or the state file.
  sync --retry-held  Send every deal Calltouch refused (❌) again now, whether or not its row
                   changed (after a fix of the settings or on Calltouch's side).
  check            Check the settings and the sheet: which column was recognised as what, where
                   the status column is (or will be created), and every row problem. Does not
                   contact Calltouch and writes nothing.
  verify           Compare the sheet's valid deals with Calltouch's deals journal (needs
                   CALLTOUCH_STATS_TOKEN): deals missing in Calltouch, another status, sum or
                   deal date, and deals sent by this CRM that the sheet no longer has. Sends and
                   writes nothing. Exit 0 only when everything agrees.
  probe            Before the first real sync: make the calls whose answers Calltouch's
                   documentation leaves open against the real project (create a test deal,
                   create it again, update it, update an order number that does not exist,
                   update with no tags), print each answer with how the sync reads it, and save
                   them to calltouch-probe-<order number>.json (attach it to a support request).
                   Needs only CALLTOUCH_SITE_ID, CALLTOUCH_TOKEN (and CALLTOUCH_API_URL). The
                   test deal has no contacts and stays in Calltouch, named as a test.
  setup            Prepare the deals tab: add the status column (and the Источник (Calltouch)
                   column with CALLTOUCH_STATS_TOKEN), freeze the header row, colour the status
                   cells, format the date columns. Changes no value below the header; running
                   it again changes nothing. Needs only the sheet's settings.
  help             Print this text.

Options:
  --dry-run        With sync: plan only (see above).
  --retry-held     With sync: send the held deals again (see above).
  --json           Print only JSON on stdout: the run report (sync), the dry-run report with
                   the payloads (sync --dry-run), the check report (check), or the verify
                   report (verify).
  --env-file F     Read settings from the file F instead of .env / .dev.vars.
  --state F        The state file. Default: ${DEFAULT_STATE_FILE} in the working directory.
  --target ID      With TARGETS (several sheets or Calltouch projects): the one to run.
  --order-number N With probe: the test deal's order number. Default: ctsync-probe-<time>.
  --out F          With probe: where to save the answers. Default: calltouch-probe-<N>.json.
  --language L     The language of this tool's own words: en (default) or ru. Row messages
                   follow STATUS_LANGUAGE, as in the sheet.
  -h, --help       Print this text.

Settings: environment variables, or KEY=value lines in a .env file in the working directory
(or .dev.vars when there is no .env; or the --env-file). The environment wins over the file.
${usageSettings()}

Output: a short summary on stdout (counts, requests, the rows that need attention: row, ID,
message, and the run's error if any); progress of long runs, and argument, settings and file
errors on stderr. Phones and e-mails are never printed, except in the payloads of sync --dry-run.

Exit codes:
  0  sync: every row is in Calltouch as it is in the sheet (created, updated or unchanged).
     check: the header is usable and no row has a problem. verify: the sheet and Calltouch agree.
  1  sync: the run finished, but some rows are not in Calltouch as they are in the sheet:
     invalid rows (❌, fix the row), deals Calltouch refused (❌, held until the row changes,
     its status cell is cleared, the settings change, --retry-held, or the daily retry),
     or deals left for the next run (⏳, Calltouch did not answer or the time ran out).
     sync --dry-run: some rows are invalid or held. check: some rows have problems.
     verify: the sheet and Calltouch disagree somewhere (the table says where).
  2  Nothing could be done: bad arguments, settings problems (all listed at once), an unreadable
     settings or state file, Google refused or could not be reached (sheet not shared with the
     service account, wrong id, no such tab), the header lacks a required column, Calltouch
     refused the site id, token or URL, or an internal error.
`;

/** The hint printed after an argument error. */
export const USAGE_HINT = "Run with --help for the commands, options and settings.";
