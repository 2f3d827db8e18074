/**
 * Every text a person reads, in English (`STATUS_LANGUAGE=en`; the command line's default),
 * typed against the Russian catalog: a code missing here, or one the Russian catalog lacks, does
 * not compile. Cyrillic only inside quotes (a Russian header, a Calltouch menu).
 */
import { DAY_RESUMES_AT } from "../util/calltouch_day.ts";
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
    dailyLimit:
      `⏳ Calltouch's daily API limit is spent, will be sent after ${DAY_RESUMES_AT} Moscow time`,
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
    quota: (perMinute) =>
      `The Google Sheets request quota (${perMinute} per minute) is exhausted; the next run ` +
      "retries.",
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
    pointsSpent: () =>
      "Calltouch: the project's daily API points are spent. Sending resumes automatically " +
      `after ${DAY_RESUMES_AT} Moscow time, nothing is lost: the deals wait (⏳). To resume sooner, ask ` +
      "Calltouch support to raise the limit",
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
    quota: ({ cron, perMinute, perTick, targets, everyMinutes }) =>
      `Google quota, ${perMinute} reads a minute per service account: at the schedule ${cron} one run ` +
      `serves ${perTick} of ${targets} sheet${targets === 1 ? "" : "s"}` +
      (everyMinutes === undefined ? ": all of them." : `; each syncs every ${everyMinutes} min.`),
    quotaAdvice: ({ cron, accounts }) =>
      `To sync each one every run: the schedule ${cron} (crons in wrangler.toml), or service ` +
      `accounts of their own for some sheets (googleServiceAccountSecret), ${accounts} in all.`,
    quotaNoCron: "Google quota: how many sheets one run serves shows after the first scheduled " +
      "run.",
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
};
