/**
 * Every text a person reads, in English (`STATUS_LANGUAGE=en`; the command line's default),
 * typed against the Russian catalog: a code missing here, or one the Russian catalog lacks, does
 * not compile. Cyrillic only inside quotes (a Russian header, a Calltouch menu).
 */
import { MAX_YEAR, MIN_YEAR } from "../sheet/dates.ts";
import { alternatives, englishPlural, enQuote as q, rowList, tabTitles } from "./format.ts";
import type { Words } from "./ru.ts";

const DATE_FORMATS = "DD.MM.YYYY, DD.MM.YYYY HH:MM or YYYY-MM-DD HH:MM";

/** The English catalog. */
export const EN: Words = {
  status: {
    created: (at) => `✅ created ${at}`,
    updated: (at) => `✅ updated ${at}`,
    rejected: (reason) =>
      `❌ Calltouch refused the deal: ${reason}. Fix the row and it will be sent again.`,
    refused: (reason) =>
      `❌ Calltouch refused the deal: ${reason}. It will be retried automatically in a day; ` +
      `to send it sooner, clear this cell.`,
    noReason: "no reason given",
    unavailable: (at) => `⏳ Calltouch did not answer (${at}), will retry automatically`,
    key: (at, check) =>
      `⏳ Calltouch refused the API key (${at}) — check ${check} (set by whoever set up the ` +
      `sync); the deal goes on the first run after the fix`,
    url: (at, check) =>
      `⏳ there are no Calltouch deals methods at the API address (${at}) — check ${check} ` +
      `(set by whoever set up the sync); the deal goes on the first run after the fix`,
    outOfTime: (at) => `⏳ not sent in time (${at}), will be sent on the next sync`,
    budget: (at) => `⏳ over this run's request limit (${at}), will be sent on the next sync`,
  },

  rows: {
    missingColumns: (columns) =>
      `The sheet has no columns: ${
        columns.map((names) => alternatives(names, "or", q)).join("; ")
      }`,
    idMissing: (cell) => `${cell}: the deal ID is empty, expected the deal number`,
    idContact: (cell, kind) =>
      `${cell}: the deal ID is ${kind === "email" ? "an e-mail address" : "a phone number"}, ` +
      "which is never sent or stored as an ID, expected the deal number (such as 1001 or " +
      `A-1234); move the ${kind === "email" ? "e-mail to the Email" : "phone to the Phone"} column`,
    idDuplicate: (cell, id, rows) =>
      `${cell}: deal ID ${q(id)} appears in rows ${
        rowList(rows, (n) => `and ${n} more`)
      }, expected a different ID for each deal`,
    dateMissing: (cell) => `${cell}: the date is empty, expected ${DATE_FORMATS}`,
    dateInvalid: (cell, value) =>
      `${cell}: cannot read the date ${q(value)}, expected ${DATE_FORMATS}`,
    dateImpossible: (cell, value) =>
      `${cell}: no such date ${
        q(value)
      }, expected a real day of the month and a time up to 23:59:59`,
    dateOutOfRange: (cell, value) =>
      `${cell}: the date ${
        q(value)
      } is out of range, expected a year from ${MIN_YEAR} to ${MAX_YEAR}`,
    statusMissing: (cell) => `${cell}: the deal status is empty, expected the status text`,
    moneyInvalid: (cell, value) =>
      `${cell}: cannot read the amount ${q(value)}, expected a number such as 1000.50`,
    moneyNegative: (cell, value) => `${cell}: negative amount ${q(value)}, expected 0 or more`,
    moneyPrecision: (cell, value) =>
      `${cell}: the amount ${
        q(value)
      } has more than two digits after the decimal separator, expected rubles and kopecks such as 1000.50 (separate thousands with spaces)`,
    phoneInvalid: (cell, masked) =>
      `${cell}: "${masked}" is not a Russian phone number, expected 11 digits such as +7 900 123-45-67`,
    emailInvalid: (cell, masked) =>
      `${cell}: "${masked}" does not look like an e-mail address, expected name@example.com`,
    customContact: (cell) =>
      `${cell}: looks like a phone number or an e-mail address, which this Calltouch field ` +
      `never gets, expected text without contacts (a doctor's name, say)`,
    moreProblems: (count) => `and ${count} more ${englishPlural(count, "problem")}`,
  },

  google: {
    tokenKeyRejected: (email, secret) =>
      `Google refused the signature of service account ${email}'s key: the key was deleted or ` +
      `revoked. Create a new JSON key and update the ${secret} secret.`,
    tokenClock: () =>
      "Google refused the token request: this server's clock is off (`iat`/`exp` of the JWT). " +
      "Check the server clock and retry.",
    tokenAudience: (tokenUrl) =>
      `Google refused the token request: wrong audience (\`aud\`) "${tokenUrl}". ` +
      "Check GOOGLE_TOKEN_URL (default https://oauth2.googleapis.com/token).",
    tokenAccountMissing: (email, secret) =>
      `Service account ${email} does not exist at Google (deleted or disabled). ` +
      `Create a new key and update the ${secret} secret.`,
    tokenScope: () =>
      "Google did not grant the service account access to Google Sheets (scope). " +
      "Check that the Google Sheets API is enabled in the Google Cloud project.",
    tokenRefused: (status, code, description) =>
      `Google did not issue an access token (HTTP ${status}, ${code}${
        description ? `: ${description}` : ""
      }).`,
    tokenUnavailable: (status) =>
      `Google's authorization service is unavailable${status ? ` (HTTP ${status})` : ""}; ` +
      "the next run retries.",
    tokenTimeout: (ms) =>
      `Could not reach Google (no answer within ${ms} ms); the next run retries.`,
    tokenMalformed: () => "Google's authorization service answered without an access token.",
    keyUnreadable: (secret) =>
      `${secret}: \`private_key\` is not a readable PKCS#8 RSA key; paste the whole ` +
      "content of the JSON key file.",
    notShared: (email) =>
      `No access to the spreadsheet: share it with the service account ${email} as an Editor ` +
      "(Share → add this address) and retry.",
    apiDisabled: () =>
      "The Google Sheets API is not enabled in the service account's Google Cloud project: " +
      "enable it in the Google Cloud console (APIs & Services → Library → Google Sheets API).",
    notFound: (spreadsheetId, setting) =>
      `Spreadsheet "${spreadsheetId}" was not found: check ${setting} ` +
      "(the id in the spreadsheet's address, between /d/ and /edit).",
    tabMissing: (title, tabs, setting) =>
      `Tab «${title}» does not exist in the spreadsheet (${
        tabs.length === 0
          ? "the spreadsheet has no tabs"
          : `existing tabs: ${tabTitles(tabs, (n) => ` and ${n} more`)}`
      }). Check ${setting} or the tab's title.`,
    protectedCells: (title, email) =>
      `The status cells on tab «${title}» are protected: let the service account ${email} edit the ` +
      "protected range or remove the protection from the status column.",
    gridLimits: (title, detail) => `Writing beyond the grid of tab «${title}» failed: ${detail}.`,
    unauthenticated: (email, secret) =>
      `Google refused the access token of service account ${email} twice. ` +
      `Check the key in ${secret} and retry later.`,
    insufficientScope: () =>
      "The service account's token may not edit Google Sheets (spreadsheets scope).",
    quota: () =>
      "The Google Sheets request quota (60 per minute) is exhausted; the next run retries.",
    unavailable: (status) =>
      `Google Sheets is unavailable${status ? ` (HTTP ${status})` : ""}; the next run retries.`,
    timeout: () => "Google Sheets did not answer in time; the next run retries.",
    budget: () =>
      "The run spent its request limit (MAX_SUBREQUESTS_PER_RUN) before reaching Google " +
      "Sheets: raise it; the next run carries on.",
    network: (what) => `Could not reach Google (${what ?? "network error"}); the next run retries.`,
    refused: (status, code, message) =>
      `Google Sheets refused the request (HTTP ${status}${code ? ` ${code}` : ""})` +
      `${message ? `: ${message}` : ""}.`,
    malformed: (what) =>
      `Google Sheets answered with something unexpected: ${
        { metadata: "spreadsheet metadata", notJson: "not JSON", values: "values" }[what]
      }.`,
  },

  calltouch: {
    credentials: (status, token, siteId) =>
      `Calltouch refused the credentials (HTTP ${status}): check ${token} (the API key ` +
      `of the project) and ${siteId} (the project id); the deals go on the first run ` +
      `after the fix`,
    wrongUrl: (create, update, status, setting) =>
      `Calltouch has no deals methods at ${create} and ${update} (HTTP ${status}): check ` +
      `${setting}; the deals go on the first run after the fix`,
    network: (what) => `Calltouch could not be reached: ${what ?? "network error"}`,
    timeout: () => "Calltouch could not be reached: no answer in time",
    status: (status) => `Calltouch answered HTTP ${status}`,
  },

  journal: {
    token: (status, token, siteId) =>
      `Calltouch refused the statistics token (HTTP ${status}): check ${token} ` +
      `(Calltouch → «Интеграции → API») and ${siteId}.`,
    notAPage: (status) =>
      `Calltouch's deals journal answered HTTP ${status} without a page of deals.`,
    outOfBudget: () => "The run's time or request budget ran out reading the journal.",
    network: () => "Calltouch's deals journal could not be reached.",
    timeout: () => "Calltouch's deals journal did not answer in time.",
    status: (status) => `Calltouch's deals journal answered HTTP ${status}.`,
  },

  attribution: {
    none: "no lead found",
    unlabelled: "lead without UTM tags",
  },

  panel: {
    title: "Deals sync to Calltouch",
    sheet: "Open the spreadsheet",
    target: (tab, siteId) =>
      `${tab ? `Tab «${tab}»` : "The spreadsheet's first tab"} → Calltouch project ${siteId}`,
    seconds: (ms) => `${(ms / 1000).toFixed(1)} s`,
    zones: (sheet, calltouch) =>
      `The sheet's time zone: ${sheet}; dates go to Calltouch in ${calltouch}`,
    zonesDiffer: "The zones differ: every date is converted from the first to the second.",
    zoneNotDefault: (zone) =>
      `A Calltouch project uses Moscow time by default: check that its settings say ${zone}.`,
    next: "Next scheduled run",
    actions: "Actions",
    action: {
      sync: "Sync now",
      "dry-run": "Check without sending",
      "retry-held": "Retry refused deals",
    },
    actionHint: {
      sync: "Send new and changed deals now, without waiting for the schedule.",
      "dry-run": "Show what would be sent and the mistakes in rows. Sends nothing.",
      "retry-held": "Send the deals Calltouch refused once more.",
    },
    result: {
      sync: "Sync result",
      "dry-run": "Check without sending",
      "retry-held": "Result of the retry",
    },
    verdict: {
      ok: "everything is in Calltouch",
      attention: "some rows need attention",
      failed: "failed",
    },
    config: "The settings have problems",
    noRuns: "No sync has run yet (or none changed anything in the last hour).",
    lastRuns: "Last runs",
    when: "When",
    trigger: "Trigger",
    outcome: "Outcome",
    duration: "Duration",
    triggers: { cron: "schedule", manual: "manual", "dry-run": "dry run" },
    counts: {
      created: "created",
      updated: "updated",
      unchanged: "unchanged",
      invalid: "with mistakes",
      held: "held",
      failed: "not sent",
    },
    wouldCreate: "to create",
    wouldUpdate: "to update",
    problems: "Rows that need attention",
    noProblems: "Every row is fine.",
    changedRows: "Changes and rows that need attention",
    noChangedRows: "Nothing changed, every row is fine.",
    preview: "What would be sent",
    nothingToSend: "Nothing to send: every deal in Calltouch is as in the sheet.",
    row: "Row",
    id: "Deal ID",
    message: "What happened",
    what: "Action",
    status: "Status",
    revenue: "Sum",
    tags: "Tags",
    changes: "What changes",
    change: { status: "status", tags: "tags", contacts: "contacts or date" },
    otherFields: "other fields",
    create: "create",
    update: "update",
    openCell: (cell) => `open cell ${cell}`,
    more: (count) => `…and ${count} more: every row is in the sheet's Calltouch column.`,
    reconciled: (n, at) =>
      `Checked against Calltouch: ${n} ${englishPlural(n, "difference")}, ${at}`,
    reconcileFailed: (at, message) => `The check against Calltouch failed (${at}): ${message}`,
    deadLetters: (n, at) =>
      `The queue gave up syncing this sheet ${n} ${
        englishPlural(n, "time")
      } (last ${at}): the reason is in the last runs below.`,
    targets: "Sheets and projects",
    targetProblems: "These are not synced until their settings are fixed:",
    open: "open",
    never: "not run yet",
    dryRunNote: "This is a check: nothing was sent to Calltouch or written to the sheet.",
    stopped: {
      budget: "The run used up its request budget; the next run sends the rest.",
      "out-of-time": "The run ran out of time; the next run sends the rest.",
    },
    keyProblems: "Clinic keys that do not work (only SYNC_TOKEN opens their panels; the sync " +
      "runs):",
    forbiddenTitle: "This key does not open this page",
    forbidden: "The key you signed in with opens only its own clinic's panel:",
    forbiddenHint: "To sign in with another key, close every browser window (the browser keeps " +
      "the password until then) or open the page in a private window.",
    throttledTitle: "Too many wrong passwords",
    throttled: (minutes) =>
      `Wrong passwords were entered from this address several times in a row. Try again in ` +
      `${minutes} min.`,
  },

  setup: {
    emptyHeader:
      "Row 1 is empty: it must hold the column headers. Copy them from the template (sheets/deals-template.csv) and run the setup again.",
    noContacts:
      'No "Телефон" or "Email" column: without contacts Calltouch cannot match a deal to a call or a request.',
    statusHeader: (header, cell, grownTo) =>
      `Added the "${header}" column (cell ${cell}${
        grownTo ? `, grid grown to ${grownTo} columns` : ""
      }): the outcome of each row is written there`,
    attributionHeader: (header, cell) =>
      `Added the "${header}" column (cell ${cell}): the ad each deal came from, ` +
      "as Calltouch matched it, is written there",
    frozen: "Froze the header row",
    colours: (column, names) => `Status colours in column ${column}: ${names.join(", ")}`,
    colour: { green: "green", red: "red", amber: "amber" },
    dateFormat: (columns) =>
      `Date-time format DD.MM.YYYY HH:MM in column${columns.length > 1 ? "s" : ""} ${
        columns.map(([letter, header]) => `${letter} "${header}"`).join(", ")
      } (values unchanged)`,
    tab: (title) => title ? `Tab "${title}"` : "The tab",
    prepared: (tab) => `${tab} is prepared:`,
    unchanged: (tab) => `${tab}: nothing changed.`,
    alreadyPrepared: (tab) => `${tab} is already prepared: nothing to do.`,
    notes: "Please note:",
  },

  http: {
    unauthorized: "Unauthorized: send Authorization: Bearer <key>",
    missingToken: "SYNC_TOKEN is missing: set a long random secret to protect /sync",
    panelDisabled: "SYNC_TOKEN is not set: the status page is disabled.",
    basicInvalid: "Unauthorized: the password is your clinic's key (or the SYNC_TOKEN secret).",
    forbidden: (targets) =>
      `Forbidden: this key opens only ${
        targets.map((id) => `"${id}"`).join(", ")
      }; another target needs its own key`,
    throttled: (seconds) => `Too many wrong keys from this address: try again in ${seconds} s`,
    noRoute: (method, path) => `No route ${method} ${path}`,
    noAction: (action) => `No action ${action}`,
    noTarget: (id) => `No target "${id}" in TARGETS`,
    noTargetOfSheet: (tab) => `No target syncs this spreadsheet${tab ? ` and tab "${tab}"` : ""}`,
    busy: "Another sync of this sheet is running; its result shows on the status page.",
    payloadsWithheld:
      "The exact payloads carry contacts: only the admin key (SYNC_TOKEN) gets them",
  },

  run: {
    internal: "Internal error: see the logs.",
    config: (problems) => `Invalid settings:\n${problems.map((p) => `- ${p}`).join("\n")}`,
    wouldCreate: "would be created",
    wouldUpdate: "would be updated",
  },

  cli: {
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
  },

  menu: {
    menuSync: "Sync now",
    menuDryRun: "Check without sending",
    menuRetryHeld: "Retry refused deals",
    menuSettings: "Settings",
    sending: "Sending deals to Calltouch…",
    sendingHeld: "Sending the refused deals again…",
    created: (n) => `Created: ${n}`,
    updated: (n) => `updated: ${n}`,
    unchanged: (n) => `unchanged: ${n}`,
    invalid: (n) => `rows with mistakes: ${n}`,
    failed: (n, retrying) =>
      `not accepted: ${n}` + (retrying > 0 ? ` (${retrying} will be retried automatically)` : ""),
    held: (n) => `waiting for a fix: ${n}`,
    seeColumn: "Details are in the Calltouch column.",
    syncDone: "Calltouch: sync finished",
    dryRunTitle: "Check without sending",
    urlTitle: "Calltouch settings (1/2): Worker address",
    urlPrompt: "The address of the sync, e.g. https://calltouch-sheet-sync.clinic.workers.dev",
    urlNow: (url) => `Now: ${url}\nLeave the field empty to keep it.`,
    notSaved: "Settings not saved",
    badUrl: (url) => `«${url}» does not look like the Worker's address: expected https://…`,
    noUrl: "No address given.",
    tokenTitle: "Calltouch settings (2/2): token",
    tokenPrompt: "This spreadsheet's sync token: the person who set up the Worker gives it to " +
      "you. If the Worker serves several clinics, it is your clinic's token, not the admin's " +
      "SYNC_TOKEN: every editor of the spreadsheet can read the token kept here.",
    tokenKept: "A token is saved. Leave the field empty to keep it.",
    noToken: "No token given.",
    badToken: (min) => `The token has at least ${min} characters and no spaces. Copy all of it.`,
    saved: "Settings saved",
    savedText: (url) => `Address: ${url}\nTest the connection: Calltouch → Check without sending.`,
    notConfigured: "Calltouch is not set up",
    notConfiguredText: "Enter the Worker's address and the sync token: Calltouch → Settings.",
    failedTitle: "Calltouch: it did not work",
    notTheWorker: (url) =>
      `What answers at ${url} is not the sync Worker (no report in its answer). ` +
      "Check the address: Calltouch → Settings.",
    tokenRefused: "The Worker refused the token (answer 401). Check the token: Calltouch → " +
      "Settings.",
    forbidden: (tab, targets) =>
      `The token in the settings does not open the tab «${tab}» of this spreadsheet` +
      (targets.length > 0 ? ` (it opens: ${targets.join(", ")})` : "") +
      ". Go to a tab that is synced, or enter this spreadsheet's token: Calltouch → Settings. " +
      "The person who set up the Worker gives it to you.",
    throttled: (minutes) =>
      "The Worker refuses requests from this address for a while: too many attempts with a " +
      `wrong token. Try again in ${minutes} min and check the token: Calltouch → Settings.`,
    workerSettings: (problems) =>
      "The Worker cannot run: its settings have problems. Pass this list to the person who set " +
      `it up:\n• ${problems.join("\n• ")}`,
    runError: {
      sheet: (message) => `Problem in the sheet: ${message}`,
      google: (message) => `Problem with Google Sheets: ${message}`,
      calltouch: (message) => `Problem with Calltouch: ${message}`,
    },
    noSync: (url, status) =>
      `There is no sync at ${url} (answer ${status}). Check the address: Calltouch → Settings.`,
    redirect: (status) =>
      `The Worker redirects the request (answer ${status}). Check the address: it starts with ` +
      "https:// and leads straight to the Worker (Calltouch → Settings).",
    workerError: (status, detail) =>
      `The Worker answered with error ${status}` + (detail ? `: ${detail}` : "."),
    timeout: (url) =>
      `The Worker at ${url} did not answer in time. It may be down or the address wrong ` +
      "(Calltouch → Settings). If the sync went through anyway, the Calltouch column shows its " +
      "outcome.",
    unreachable: (url) =>
      `Could not reach the Worker at ${url}: the address is wrong or the Worker is down. ` +
      "Check the address: Calltouch → Settings.",
    willCreate: (n) => `Deals to create: ${n}`,
    willUpdate: (n) => `To update: ${n}`,
    willKeep: (n) => `Unchanged: ${n}`,
    noProblems: "No problems found.",
    problems: (n) => `Problems in rows (${n}):`,
    where: (row, orderNumber) => `Row ${row}` + (orderNumber ? `, deal ${orderNumber}` : ""),
    noMessage: "error without a description",
    more: (n) => `…and ${n} more.`,
    dryRunNote: "This is a check: nothing was sent to Calltouch or written to the sheet.",
  },
};
