import type { MenuWords } from "./ru_menu.ts";

/** The sheet menu's words in English. */

export const EN_MENU: MenuWords = {
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
};
