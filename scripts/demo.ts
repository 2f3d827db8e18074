/**
 * `deno task demo`: the whole product on this machine, with no account anywhere. Starts the
 * Google and Calltouch emulators, seeds a realistic clinic sheet (sheets/demo/clinic-deals.csv,
 * mistakes included), runs the real Worker in workerd, and syncs four times: the first sync,
 * after two edits, and twice with nothing changed. With `--serve` it then keeps everything
 * running and prints the control panel's address and password, for a newcomer's own browser.
 */
import { STATUS_HEADER } from "../src/columns/written.ts";
import type { CellValue } from "../src/deal.ts";
import { words } from "../src/words/mod.ts";
import { demoClinicRows } from "../sheets/demo/typed_cells.ts";
import { startCalltouchEmulator } from "../test/emulators/calltouch.ts";
import { startGoogleEmulator } from "../test/emulators/google.ts";
import { testServiceAccount } from "../test/support/service_account.ts";
import { startWorker } from "../test/support/worker.ts";
import { exitWithHelpIfAsked } from "./help.ts";
import { sheetHtml } from "./sheet_view.ts";

exitWithHelpIfAsked(
  `Usage: deno task demo [--serve]

The whole product on this machine, with no account anywhere: starts the Google and Calltouch
emulators on 127.0.0.1, seeds a realistic clinic sheet (sheets/demo/clinic-deals.csv, mistakes
included), runs the real Worker in workerd (Miniflare) and syncs four times: the first sync, after
two edits, and twice with nothing changed. Prints the sheet and what was sent after each sync.
Exit 0 when everything behaved as described, 1 otherwise.

  --serve  then keep the Worker and the emulators running, and print the control panel's
           address and password (open it in your browser and press its buttons) and the
           address of the sheet as the Google emulator holds it; Ctrl+C stops.`,
  Deno.args,
);

// Keep Miniflare off the network, as everywhere else.
Deno.env.set("CLOUDFLARE_CF_FETCH_ENABLED", "false");
Deno.env.set("WRANGLER_SEND_METRICS", "false");

const SPREADSHEET_ID = "1DemoClinicSpreadsheet_0123456789abcdefghijk";
const TAB = "Сделки";
const TOKEN = "demo-sync-token-0123456789";
const SERVE = Deno.args.includes("--serve");
const bold = (s: string) => Deno.stdout.isTerminal() ? `\x1b[1m${s}\x1b[0m` : s;

function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length > width ? chars.slice(0, width - 1).join("") + "…" : text.padEnd(width);
}

/** A text table; the last column (the status texts) is never cut. */
function table(header: string[], rows: string[][], widths: number[]): string {
  const last = widths.length - 1;
  const line = (cells: string[]) =>
    cells.map((c, i) => i === last ? c : cut(c, widths[i])).join(" │ ").trimEnd();
  const rule = widths.map((w) => "─".repeat(w)).join("─┼─");
  return [line(header), rule, ...rows.map(line)].join("\n");
}

function sheetTable(cells: CellValue[][]): string {
  const header = cells[0].map(String);
  const col = (name: string) => header.indexOf(name);
  const status = col(STATUS_HEADER);
  const rows = cells.slice(1).map((row, i) => [
    String(i + 2),
    String(row[col("ID сделки")] ?? ""),
    String(row[col("Статус")] ?? ""),
    String(row[col("Сумма")] ?? ""),
    status >= 0 ? String(row[status] ?? "") : "",
  ]);
  return table(["Стр.", "ID", "Статус", "Сумма", `${STATUS_HEADER} (столбец статуса)`], rows, [
    4,
    5,
    9,
    10,
    40,
  ]);
}

// deno-lint-ignore no-explicit-any
function summary(report: any, calltouchBodies: unknown[]): string {
  const c = report.counts;
  const r = report.requests;
  const sent = calltouchBodies.map((body) => {
    const orders = (body as { orders: { orderNumber: string }[] }).orders;
    return `${orders.length} (${orders.map((o) => o.orderNumber).join(", ")})`;
  });
  return [
    `  rows ${c.rows}: created ${c.created}, updated ${c.updated}, unchanged ${c.unchanged}, ` +
    `invalid ${c.invalid}, held ${c.held}, failed ${c.failed}`,
    `  requests: Google sheet reads ${r.sheetsRead} (+${r.sheetsMetadata} metadata), ` +
    `sheet writes ${r.sheetsWrite}, Calltouch ${r.calltouch}, KV reads ${r.kvRead}, ` +
    `KV writes ${r.kvWrite}`,
    `  orders sent to Calltouch: ${sent.length ? sent.join("; ") : "none"}`,
    ...(report.quiet
      ? [
        "  quiet run: the sheet is byte for byte as a run that did nothing read it: nothing parsed",
      ]
      : []),
  ].join("\n");
}

const account = await testServiceAccount();
const google = await startGoogleEmulator();
const calltouch = await startCalltouchEmulator();
google.createSpreadsheet({
  spreadsheetId: SPREADSHEET_ID,
  title: "Клиника «Здоровье» — сделки",
  timeZone: "Europe/Moscow",
  sheets: [{ title: TAB, values: await demoClinicRows() }],
  sharedWith: [account.clientEmail],
});
const worker = await startWorker({
  bindings: {
    SPREADSHEET_ID,
    SHEET_NAME: TAB,
    CALLTOUCH_SITE_ID: calltouch.siteId,
    CALLTOUCH_TOKEN: calltouch.token,
    GOOGLE_SERVICE_ACCOUNT: account.json,
    SYNC_TOKEN: TOKEN,
    GOOGLE_SHEETS_API_URL: google.url,
    GOOGLE_TOKEN_URL: `${google.url}/token`,
    CALLTOUCH_API_URL: calltouch.url,
  },
});

/**
 * Keeps the Worker and the emulators up for a browser: the panel (Basic auth, the sync token as
 * password), and the emulator's sheet as a page that reloads itself. Never returns: Ctrl+C ends
 * the process, and Miniflare's exit hook stops workerd with it (exit code 130, as for any
 * interrupted command).
 */
async function serve(): Promise<never> {
  const sheetView = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () =>
      new Response(
        sheetHtml(
          google.values(SPREADSHEET_ID, `'${TAB}'`) as CellValue[][],
          `Клиника «Здоровье» — сделки · лист «${TAB}» (эмулятор Google)`,
          '<meta http-equiv="refresh" content="3">',
        ),
        { headers: { "content-type": "text/html; charset=utf-8" } },
      ),
  );
  console.log(
    "\n" + bold("The control panel is open for your browser:") + `\n` +
      `  address   ${worker.url}/\n` +
      `  user      any name\n` +
      `  password  ${TOKEN}\n` +
      `  the sheet http://127.0.0.1:${sheetView.addr.port}/ (the emulator's cells, reloads itself)\n` +
      `Press ${Object.values(words("ru").panel.action).map((name) => `«${name}»`).join(", ")};\n` +
      "the sheet page shows the status column as each run leaves it. Ctrl+C stops the demo.",
  );
  await sheetView.finished;
  throw new Error("the sheet view stopped");
}

let exitCode = 0;
try {
  console.log(bold("calltouch-sheet-sync demo") + " — everything runs locally:");
  console.log(`  Google Sheets + OAuth emulator  ${google.url}`);
  console.log(`  Calltouch API emulator          ${calltouch.url}`);
  console.log("  the Worker                      workerd (Miniflare), real local KV\n");
  console.log(
    bold("The clinic's sheet before the first sync") + " (sheets/demo/clinic-deals.csv):",
  );
  console.log(sheetTable(google.values(SPREADSHEET_ID, `'${TAB}'`) as CellValue[][]) + "\n");

  const sync = async (title: string, showSheet = true) => {
    const before = calltouch.requests.length;
    const res = await worker.fetch("/sync", {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const report = await res.json();
    if (!report.ok) throw new Error(`sync failed: ${JSON.stringify(report.error)}`);
    const bodies = calltouch.requests.slice(before).map((request) => request.body);
    console.log(bold(title));
    console.log(summary(report, bodies));
    const sheet = sheetTable(google.values(SPREADSHEET_ID, `'${TAB}'`) as CellValue[][]);
    console.log(
      showSheet
        ? sheet + "\n"
        : "  (the sheet, status column included, is exactly as after sync 2)\n",
    );
    return report;
  };

  await sync(
    "Sync 1 — the first run: valid deals are created, mistakes are explained in the sheet",
  );

  console.log("The administrator edits two rows: deal 1002 is paid, deal 1015 costs 8 100 ₽.\n");
  google.setValues(SPREADSHEET_ID, `'${TAB}'!C3`, [["Оплачено"]]);
  google.setValues(SPREADSHEET_ID, `'${TAB}'!E19`, [[8100]]);
  const second = await sync("Sync 2 — after the edits: one update request with just those deals");

  const third = await sync(
    "Sync 3 — nothing changed: nothing is sent or written; the run leaves a quiet record",
    false,
  );
  const fourth = await sync("Sync 4 — still nothing: a quiet run, not a row parsed", false);
  const settled = third.requests.calltouch === 0 && third.requests.sheetsWrite === 0;
  const quiet = fourth.quiet === true && fourth.requests.calltouch === 0 &&
    fourth.requests.sheetsWrite === 0 && fourth.requests.kvWrite === 0;
  if (second.counts.updated !== 2 || !settled || !quiet) {
    throw new Error("the demo did not behave as expected");
  }
  console.log(bold("Done.") + " Each deal reached the Calltouch emulator exactly once:");
  const deals = [...calltouch.deals.entries()].map(([id, deal]) =>
    `${id}×${deal.createCount}${deal.updateCount ? ` (+${deal.updateCount} update)` : ""}`
  );
  console.log(`  ${deals.join(", ")}`);
  if (SERVE) {
    await serve();
  } else {
    console.log("See the control panel in your browser: deno task demo --serve");
    console.log("Run the tests with: deno task test");
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  await worker.dispose();
  await google.close();
  await calltouch.close();
}
Deno.exit(exitCode);
