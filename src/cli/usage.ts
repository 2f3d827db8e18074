/** The command-line tool's `--help` text: every command, option, setting and exit code. */
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
  -h, --help       Print this text.

Settings: environment variables, or KEY=value lines in a .env file in the working directory
(or .dev.vars when there is no .env; or the --env-file). The environment wins over the file.
  SPREADSHEET_ID            required. The spreadsheet's id, or its full URL.
  SHEET_NAME                The tab holding the deals. Default: the first tab.
  CALLTOUCH_SITE_ID         required. The Calltouch project id (a number; the SiteId header).
  CALLTOUCH_TOKEN           required, secret. The Calltouch API key (the Access-Token header).
  CALLTOUCH_STATS_TOKEN     secret. The statistics token (clientApiId; Calltouch → Интеграции →
                            API), another credential, read-only: verify, the attribution column,
                            the reconciliation and the look-up after a state loss read the journal.
  RECONCILE_EVERY_MINUTES   How often the sync reads the deals journal (with the statistics token),
                            5..10080. Default: 60.
  GOOGLE_SERVICE_ACCOUNT_FILE
                            required (or GOOGLE_SERVICE_ACCOUNT). The Google service account's
                            JSON key file as Google downloads it: a path, relative to the
                            working directory. Share the spreadsheet with its client_email as
                            an editor.
  GOOGLE_SERVICE_ACCOUNT    secret, instead of the file: the file's whole content, on one line,
                            in single quotes in .env.
  CRM_NAME                  The "crm" field of created deals. Default: Google Sheets.
  CUSTOM_SOURCE             source/medium/campaign (or one value for all three) of deals that
                            Calltouch cannot match to a call or request. Default: офлайн-визит.
  SEARCH_DEPTH_MINUTES      How far back Calltouch looks for the call or request, in minutes.
                            Default: 259200 (180 days).
  MATCH_MODE                nearest | nearestUniq | nearestUniqLead. Default: nearest.
  CALLTOUCH_TIME_ZONE       The Calltouch project's time zone (IANA name, e.g. Asia/Novosibirsk):
                            every date sent is converted from the sheet's zone to it.
                            Default: the sheet's time zone (File → Settings).
  CUSTOM_FIELDS             Extra columns sent as Calltouch custom fields, as
                            "Header=field; Header=field" (e.g. Врач=doctor; Филиал=branch).
                            Values are text; a phone or e-mail there is a row problem.
  STATUS_LANGUAGE           ru | en: language of the status cells and row problems. Default: ru.
  SYNC_TIME_BUDGET_SECONDS  Wall-clock budget of one sync, 1..840; deals that do not fit are
                            marked ⏳ and sent by the next run. Default: 120.
  MAX_SUBREQUESTS_PER_RUN   Requests one sync may make in all (Google and Calltouch, retries
                            included; 100 deals per Calltouch request); what does not fit is
                            marked ⏳ and sent by the next run. Default: 45 (the Workers Free
                            plan allows 50); a server cron can raise it freely.
                            (CALLTOUCH_MAX_REQUESTS_PER_RUN is its deprecated old name.)
  GOOGLE_SHEETS_API_URL     Default: https://sheets.googleapis.com (override for proxies, tests).
  GOOGLE_TOKEN_URL          Default: https://oauth2.googleapis.com/token.
  CALLTOUCH_API_URL         Default: https://api.calltouch.ru.
  (SYNC_TOKEN protects the Worker's HTTP routes; the command-line tool does not use it.)

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
