import type { CliWords } from "./ru_cli.ts";

/** The command-line tool's own words in English (the default of the command line). */

export const EN_CLI: CliWords = {
  counts: {
    rows: "rows",
    toCreate: "to create",
    toUpdate: "to update",
    created: "created",
    updated: "updated",
    unchanged: "unchanged",
    held: "held",
    invalid: "invalid",
    failed: "failed",
    retrying: "retrying",
  },
  requests: (r) =>
    `requests: Google ${r.sheetsRead} sheet reads, ${r.sheetsMetadata} metadata, ` +
    `${r.sheetsWrite} sheet writes, ${r.token} token · Calltouch ${r.calltouch} · ` +
    `state ${r.kvRead} reads, ${r.kvWrite} writes`,
  columns: {
    row: "row",
    id: "ID",
    action: "action",
    message: "message",
    what: "what",
    sheet: "sheet",
    calltouch: "Calltouch",
    column: "column",
    header: "header",
    recognised: "recognised as",
  },
  actions: { create: "create", update: "update", held: "held", invalid: "invalid" },
  listed: (title, count) => `${title} (${count}):`,
  moreRows: (count) => `… and ${count} more (all of them with --json)`,
  attention: "Rows that need attention",
  wouldSend: "Would send",
  settingsProblems: (count) => `Settings problems (${count}):`,
  setThemIn: (file) => `Set them in the environment or ${file ?? "a .env file"} (see --help).`,
  errorKind: {
    google: "Google refused or could not be reached",
    sheet: "The sheet cannot be read",
    calltouch: "Calltouch refused the request",
    internal: "Internal error",
    config: "Settings",
    auth: "Not authorised",
    not_found: "Not found",
    busy: "Another sync of this sheet is running",
  },
  seconds: (seconds) => `${seconds} s`,
  timeZone: (zone) => `time zone ${zone}`,
  settings: (file) => `settings ${file ?? "from the environment"}`,
  state: (path) => `state ${path}`,
  quiet: "quiet: the sheet is as the last run left it",
  dryRun: "nothing sent, nothing written",
  requestsToSend: (count) => `Calltouch requests that would be sent (${count}):`,
  request: (n, url, deals) => `#${n} POST ${url} (${deals} deals)`,
  nothingToSend: "Nothing to send.",
  exitFatal: "Exit 2: the run could not do its job (see above).",
  exitRows: (parts) => `Exit 1: ${parts.join(", ")}.`,
  exitOk: "Exit 0: every row is in Calltouch as it is in the sheet.",
  invalid: (n) => `${n} invalid`,
  held: (n) => `${n} held`,
  refused: (n) => `${n} refused`,
  retrying: (n) => `${n} left for the next run`,
  checkHeadline: (spreadsheetId, tab, siteId) =>
    `spreadsheet ${spreadsheetId}${
      tab !== undefined ? ` · tab «${tab}»` : ""
    } · Calltouch project ${siteId}`,
  zones: (sheet, calltouch) =>
    `Time zones: sheet ${sheet} · Calltouch ${calltouch} (dates are sent in the second)`,
  journalOn: "Calltouch's deals journal: on (verify compares the sheet with it).",
  journalOff: "Calltouch's deals journal: off (set CALLTOUCH_STATS_TOKEN to use verify).",
  stateKey: (source, id, state) =>
    `Stored hashes: keyed with ${
      source === "STATE_KEY"
        ? "STATE_KEY"
        : "a key derived from CALLTOUCH_TOKEN (STATE_KEY is not set)"
    }, id ${id}; ${
      {
        current: "the stored state is under it",
        previous: "the stored state is under the previous key (the next sync rewrites it)",
        unkeyed: "the stored state is an older build's, unkeyed (the next sync rewrites it)",
        unknown: "the stored state is under another key: set STATE_KEY_PREVIOUS",
        none: "no state stored yet",
      }[state]
    }.`,
  headerTitle: "Header (row 1):",
  customField: (field) => `custom field ${field} (CUSTOM_FIELDS)`,
  ignored: "— (ignored)",
  duplicate: (column, doc) => `— (ignored: column ${column} is the ${doc})`,
  field: (field, doc) => `${field}: ${doc}`,
  statusWillBe: (header) => `sync status: will be created here as «${header}»`,
  statusColumn: (column, header) => `Status column: ${column} («${header}»).`,
  missingColumns: (columns) => `Missing required columns: ${columns.join(", ")}.`,
  rowCounts: (c) =>
    `Rows: ${c.rows} (${c.valid} valid, ${c.invalid} with problems, ${c.blank} blank).`,
  warning: (text) => `Warning: ${text}`,
  rowProblems: (count) => `Row problems (${count}):`,
  checkFatal: "Exit 2: the sheet cannot be synced as it is (see above).",
  checkRows: (count) => `Exit 1: ${count} rows have problems.`,
  checkOk: "Exit 0: the sheet is ready to sync.",
  customFieldMissing: (header, field) =>
    `CUSTOM_FIELDS maps "${header}" to ${field}, but the header has no such column: nothing ` +
    "is sent for it.",
  noContactColumn: (phones, emails) =>
    `No phone or e-mail column («${phones}» / «${emails}»): Calltouch cannot match deals to ` +
    "calls or requests, only to CUSTOM_SOURCE.",
  noDeals: "The tab has no deals below the header.",
  zonesDiffer: (sheet, calltouch) =>
    `The sheet's time zone (${sheet}) differs from CALLTOUCH_TIME_ZONE (${calltouch}): every ` +
    "date is converted from the first to the second.",
  zoneNotDefault: (zone) =>
    `Dates go to Calltouch in ${zone}, not Calltouch's default Moscow time: make sure the ` +
    `Calltouch project's time zone is ${zone} (or set CALLTOUCH_TIME_ZONE to the project's ` +
    "zone).",
  internal: "Internal error of the sync; please report it with this text:",
  progress: (done, total, operation, batch) =>
    `Calltouch: ${done}/${total} deals done (${operation} batch of ${batch})`,
  chooseTarget: (several, ids) =>
    `TARGETS lists ${several ? "several targets" : "no target"}: name one with --target (${
      ids.join(", ") || "none valid"
    })`,
  noTarget: (id, ids) => `No target "${id}" in TARGETS (${ids.join(", ")})`,
  targetNeedsTargets: "--target needs TARGETS in the settings",
  stateUnreadable: (path, reason) => `Cannot read the state file ${path}: ${reason}`,
  targetsHeadline: (count) => `${count} targets`,
  targetTab: (tab, siteId) => `tab «${tab ?? "(first)"}» → ${siteId}`,
  targetFailed: (message) => `failed: ${message}`,
  targetReady: (valid, problems) => `ok: ${valid} deals to send, ${problems} row problem(s)`,
  targetSettings: (problem) => `settings: ${problem}`,
  quota: {
    headline: (perMinute, perProject, readsPerRun, headroomPercent) =>
      `Google quota (${perMinute} reads a minute per service account, ${perProject} per ` +
      `project; a run reads up to ${readsPerRun}, ${headroomPercent}% kept for manual runs):`,
    cronFrom: {
      toml: "wrangler.toml",
      noToml: "no wrangler.toml here: the cron this project's wrangler.toml ships",
      noCron: "wrangler.toml has no crons: the cron this project's wrangler.toml ships",
    },
    notUnderstood: "; not understood: 1 minute assumed",
    serves: (cron, from, perTick, total) =>
      `at ${cron} (${from}) one tick serves ${perTick} of ${total} targets`,
    everyTick: ": every target, every tick",
    every: (minutes) => `; each target runs every ${minutes} min`,
    account: (account, targets, perTick, ticks) =>
      `${account}: ${targets} target(s), ${perTick} a tick` +
      (ticks > 1 ? `, each every ${ticks} ticks` : ""),
    advice: (cron, accounts, projects) =>
      `to run every target every tick: crons = ["${cron}"] in wrangler.toml, or ${accounts} ` +
      `service accounts (googleServiceAccountSecret) in ${projects} Cloud project(s) at this cron`,
  },
  verifyNeedsToken:
    "verify reads Calltouch's deals journal: set CALLTOUCH_STATS_TOKEN (the statistics token: " +
    "Calltouch → «Интеграции → API»; not the deals API key)",
  verifyHeadline: (checked, journal, window) =>
    `${checked} deals of the sheet against ${journal} in Calltouch's journal` +
    (window ? ` (deal dates ${window.from} … ${window.to})` : ""),
  agrees: "Everything agrees.",
  mismatch: {
    missing: "not in Calltouch",
    status: "another status",
    revenue: "another sum",
    date: "another deal date",
    extra: "in Calltouch, not in the sheet",
  },
  differences: (count) =>
    `${count} difference(s). A deal changed in Calltouch is overwritten by the sheet's data at ` +
    "its next change; a missing one is sent once its row changes or its status cell is cleared.",
  crmUnknown:
    "The journal does not say which CRM created a deal: deals in Calltouch that the sheet " +
    "lacks are not listed.",
  probeHeadline: (siteId, apiUrl, orderNumber) =>
    `Calltouch probe of project ${siteId} at ${apiUrl}, test deal ${orderNumber}:`,
  noAnswer: "(no answer)",
  emptyBody: "(empty body)",
  probeCall: (step, title, method, orderNumber) => `${step}. ${title} (${method} ${orderNumber})`,
  probeAnswer: (status, body) =>
    `answer: ${status === undefined ? "none" : `HTTP ${status}`} ${body}`,
  probeReading: (reading, reason) => `the sync reads: ${reading}${reason ? ` — ${reason}` : ""}`,
  probeIntended: (intended, note) => `${intended ? "as intended" : "NOT as intended"}: ${note}`,
  probeColumns: {
    step: "#",
    call: "call",
    status: "HTTP",
    reading: "read as",
    intended: "intended",
  },
  yes: "yes",
  no: "NO",
  probeOk: "Every answer is read as intended: the sync can go live.",
  probeNotOk: "Some answers are not read as intended: see above before the first real sync.",
  probeSaved: (file) => `Saved to ${file} (attach it to a support request; the token is masked).`,
  probeLeft: (orderNumbers) =>
    `Left in Calltouch, named as tests: ${orderNumbers.join(", ")}. Calltouch's documented ` +
    "methods cannot delete a deal: remove them in Calltouch's deals journal if you like.",
};
