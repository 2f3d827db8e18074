import assert from "node:assert/strict";
import { CODE_JS } from "../support/apps_script.ts";

const MANIFEST = JSON.parse(
  await Deno.readTextFile(new URL("../../../sheets/apps-script/appsscript.json", import.meta.url)),
);

/** Each scope and the code that needs it (Apps Script reference, "Authorization" of each method). */
const SCOPE_USES: Record<string, RegExp> = {
  // UrlFetchApp.fetch: calling the Worker.
  "https://www.googleapis.com/auth/script.external_request": /\bUrlFetchApp\b/,
  // Spreadsheet.toast: the sync summary (spreadsheets.currentonly or spreadsheets).
  "https://www.googleapis.com/auth/spreadsheets.currentonly": /\.toast\(/,
  // Ui.createMenu / alert / prompt.
  "https://www.googleapis.com/auth/script.container.ui": /\.getUi\(\)/,
};

Deno.test("appsscript.json: V8, Moscow time, exactly the three narrow scopes", () => {
  assert.equal(MANIFEST.runtimeVersion, "V8");
  assert.equal(MANIFEST.timeZone, "Europe/Moscow");
  assert.deepEqual([...MANIFEST.oauthScopes].sort(), Object.keys(SCOPE_USES).sort());
});

Deno.test("appsscript.json: every scope is used by Code.js", () => {
  for (const [scope, use] of Object.entries(SCOPE_USES)) assert.match(CODE_JS, use, scope);
});

Deno.test("Code.js uses no service beyond those scopes and touches no cell", () => {
  // The active tab is asked for its name only (which target the menu syncs), never a range.
  const forbidden = [
    /\bDriveApp\b/,
    /\bGmailApp\b/,
    /\bMailApp\b/,
    /\bScriptApp\b/,
    /\bSession\b/,
    /\bopenBy(Id|Url)\b/,
    /\bgetRange\w*\(/,
    /\bgetSheetByName\(/,
    /\bsetValues?\(/,
    /\bgetDocumentProperties\(/,
    /\bLogger\b/,
    /\bconsole\./,
  ];
  for (const pattern of forbidden) assert.doesNotMatch(CODE_JS, pattern);
});

Deno.test("Code.js is plain script, as Apps Script needs: no modules, entry points at top level", () => {
  assert.doesNotMatch(CODE_JS, /^\s*(import|export)\b/m);
  for (const entry of ["onOpen", "menuSync", "menuDryRun", "menuRetryHeld", "menuSettings"]) {
    assert.match(CODE_JS, new RegExp(`^function ${entry}\\(\\) \\{`, "m"), entry);
  }
  // Runs in a classic script scope (the loader evaluates it the same way).
  new Function(CODE_JS);
});
