/**
 * A key per clinic, end to end in workerd: two clinics in one deployment (`TARGETS`), each with
 * its own key (`syncTokenSecret`), and the deployment's admin key (`SYNC_TOKEN`). A clinic's
 * key opens that clinic's panel, buttons, `/sync`, `/setup` and dry run, and nothing else; the
 * exact dry-run payloads (which carry contacts) answer the admin key only.
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { type CalltouchEmulator, startCalltouchEmulator } from "../emulators/calltouch.ts";
import { type GoogleEmulator, startGoogleEmulator } from "../emulators/google.ts";
import { testServiceAccount } from "../support/service_account.ts";
import { startWorker, type TestWorker } from "../support/worker.ts";
import { withClose } from "../support/e2e.ts";

const SHEET_A = "1ClinicASheet_abcdefghijklmnopqrstuvwxyz01234";
const SHEET_B = "1ClinicBSheet_abcdefghijklmnopqrstuvwxyz01234";
const ADMIN = "admin-key-0123456789abcdef";
const KEY_A = "clinic-a-key-0123456789abcdef";
const KEY_B = "clinic-b-key-0123456789abcdef";
const TAB = "Сделки";
const ORIGIN = "http://worker.test";
const PHONE_A = "79151112233";
const PHONE_B = "79164445566";

function deals(prefix: string, phone: string): CellValue[][] {
  return [
    ["ID сделки", "Дата сделки", "Статус", "Сумма", "Телефон"],
    [`${prefix}1`, "20.11.2026 10:00", "Запись", 1000, phone],
    [`${prefix}2`, "21.11.2026 11:00", "Пришел", 2500, ""],
  ];
}

interface Deployment {
  google: GoogleEmulator;
  calltouch: { a: CalltouchEmulator; b: CalltouchEmulator };
  worker: TestWorker;
  close(): Promise<void>;
}

async function deploy(): Promise<Deployment> {
  const account = await testServiceAccount();
  const google = await startGoogleEmulator();
  const calltouch = {
    a: await startCalltouchEmulator({ siteId: "111", token: "token-a" }),
    b: await startCalltouchEmulator({ siteId: "222", token: "token-b" }),
  };
  for (const [id, rows] of [[SHEET_A, deals("A", PHONE_A)], [SHEET_B, deals("B", PHONE_B)]]) {
    google.createSpreadsheet({
      spreadsheetId: id as string,
      timeZone: "Europe/Moscow",
      sheets: [{ title: TAB, values: rows as CellValue[][] }],
      sharedWith: [account.clientEmail],
    });
  }
  const target = (id: string, spreadsheet: string, ct: CalltouchEmulator) => ({
    id,
    spreadsheet,
    tab: TAB,
    calltouchSiteId: ct.siteId,
    calltouchTokenSecret: `CALLTOUCH_TOKEN_${id.toUpperCase()}`,
    syncTokenSecret: `SYNC_TOKEN_${id.toUpperCase()}`,
    CALLTOUCH_API_URL: ct.url,
  });
  const worker = await startWorker({
    bindings: {
      TARGETS: JSON.stringify([
        target("a", SHEET_A, calltouch.a),
        target("b", SHEET_B, calltouch.b),
        // A clinic whose key was never set: listed for the admin; SYNC_TOKEN opens it.
        { ...target("c", SHEET_B, calltouch.b), tab: "Другой лист" },
      ]),
      CALLTOUCH_TOKEN_A: "token-a",
      CALLTOUCH_TOKEN_B: "token-b",
      CALLTOUCH_TOKEN_C: "token-b",
      SYNC_TOKEN_A: KEY_A,
      SYNC_TOKEN_B: KEY_B,
      GOOGLE_SERVICE_ACCOUNT: account.json,
      GOOGLE_READS_PER_MINUTE: "100000", // the emulator counts no quota here
      GOOGLE_SHEETS_API_URL: google.url,
      GOOGLE_TOKEN_URL: `${google.url}/token`,
      SYNC_TOKEN: ADMIN,
      SYNC_TIME_BUDGET_SECONDS: "20",
    },
  });
  return withClose({ google, calltouch, worker });
}

/** One request of a route, as its client sends it: bearer for the API, Basic and forms for the panel. */
type Route = (key: string, where: string) => [path: string, init: RequestInit];

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const basic = (key: string) => ({ authorization: `Basic ${btoa(`clinic:${key}`)}` });
const query = (path: string, where: string) =>
  where ? `${path}${path.includes("?") ? "&" : "?"}${where}` : path;

const ROUTES: Record<string, Route> = {
  panel: (key, where) => [query("/", where), { headers: basic(key) }],
  "button sync": (key, where) => [query("/actions/sync", where), form(key)],
  "button dry run": (key, where) => [query("/actions/dry-run", where), form(key)],
  "button retry": (key, where) => [query("/actions/retry-held", where), form(key)],
  "/sync": (key, where) => [query("/sync", where), { method: "POST", headers: bearer(key) }],
  "dry run": (
    key,
    where,
  ) => [query("/sync?dryRun=1", where), { method: "POST", headers: bearer(key) }],
  "/setup": (key, where) => [query("/setup", where), { method: "POST", headers: bearer(key) }],
};

function form(key: string): RequestInit {
  return {
    method: "POST",
    headers: {
      ...basic(key),
      "content-type": "application/x-www-form-urlencoded",
      origin: ORIGIN,
      "sec-fetch-site": "same-origin",
    },
    body: "",
  };
}

/** Status, the headers that could tell targets apart, and the body. */
async function answer(worker: TestWorker, [path, init]: [string, RequestInit]) {
  const res = await worker.fetch(path, init);
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    length: res.headers.get("content-length"),
    cache: res.headers.get("cache-control"),
    body: await res.text(),
  };
}

Deno.test("clinic keys: A's key is refused on B, alike for B and for no such clinic; the admin key opens all", async (t) => {
  const d = await deploy();
  try {
    await t.step(
      "A's key on B (by id, or by B's sheet as its menu sends it): 403, nothing run",
      async () => {
        for (const [name, route] of Object.entries(ROUTES)) {
          const onB = await answer(d.worker, route(KEY_A, "target=b"));
          const bySheet = await answer(
            d.worker,
            route(KEY_A, `spreadsheet=${SHEET_B}&tab=${encodeURIComponent(TAB)}`),
          );
          const onNobody = await answer(d.worker, route(KEY_A, "target=nobody"));
          const onNoSheet = await answer(
            d.worker,
            route(KEY_A, `spreadsheet=1NoSuchSheet_abcdefghijklmnopqrstuvwxyz0&tab=x`),
          );
          assert.equal(onB.status, 403, name);
          assert.equal(onB.cache, "no-store", name);
          for (const other of [bySheet, onNobody, onNoSheet]) {
            assert.deepEqual(other, onB, `${name}: the refusal tells nothing about B`);
          }
          assert.ok(!onB.body.includes(`"b"`) && !onB.body.includes("target=b"), name);
          assert.ok(!onB.body.includes(KEY_A), name);
        }
        const json = JSON.parse((await answer(d.worker, ROUTES["/sync"](KEY_A, "target=b"))).body);
        assert.equal(json.error.kind, "forbidden");
        assert.deepEqual(json.error.targets, ["a"], "it names what the key does open");
        const page = (await answer(d.worker, ROUTES.panel(KEY_A, "target=b"))).body;
        assert.match(page, /Этот ключ не открывает эту страницу/);
        assert.match(page, /<a href="\/\?target=a">a<\/a>/);
        assert.equal(d.calltouch.b.requests.length, 0, "B was not synced");
        assert.equal(d.google.values(SHEET_B, `'${TAB}'`)[0].length, 5, "B's sheet was not set up");
      },
    );

    await t.step("the overview and every-clinic runs only with the admin key", async () => {
      for (const [name, route] of Object.entries(ROUTES)) {
        const all = await answer(d.worker, route(KEY_A, ""));
        assert.equal(all.status, 403, `${name} without a target`);
        assert.deepEqual(all, await answer(d.worker, route(KEY_A, "target=b")), name);
      }
      const overview = await answer(d.worker, ROUTES.panel(ADMIN, ""));
      assert.equal(overview.status, 200);
      assert.equal(overview.cache, "no-store");
      for (const id of ["a", "b", "c"]) assert.match(overview.body, new RegExp(`target-${id}`));
      assert.match(overview.body, /Ключи клиник, которые не работают/);
      assert.match(
        overview.body,
        /TARGETS &quot;c&quot;: the secret SYNC_TOKEN_C \(syncTokenSecret\) is not set/,
      );
      assert.ok(!overview.body.includes(KEY_A) && !overview.body.includes(KEY_B));
    });

    await t.step("A's key opens A: panel, buttons, /sync, /setup, its menu's sheet", async () => {
      const setup = await answer(d.worker, ROUTES["/setup"](KEY_A, "target=a"));
      assert.equal(setup.status, 200, setup.body);
      assert.equal(setup.cache, "no-store");
      const synced = await answer(d.worker, ROUTES["/sync"](KEY_A, "target=a"));
      assert.equal(synced.status, 200, synced.body);
      assert.equal(JSON.parse(synced.body).counts.created, 2);
      assert.equal(d.calltouch.a.deals.size, 2);
      const menu = await answer(
        d.worker,
        ROUTES["/sync"](KEY_A, `spreadsheet=${SHEET_A}&tab=${encodeURIComponent(TAB)}`),
      );
      assert.equal(menu.status, 200);
      assert.equal(JSON.parse(menu.body).counts.unchanged, 2);
      const panel = await answer(d.worker, ROUTES.panel(KEY_A, "target=a"));
      assert.equal(panel.status, 200);
      assert.equal(panel.cache, "no-store");
      assert.match(panel.body, /action="\/actions\/sync\?target=a"/);
      for (const button of ["button sync", "button dry run", "button retry"]) {
        const pressed = await answer(d.worker, ROUTES[button](KEY_A, "target=a"));
        assert.equal(pressed.status, 200, button);
        assert.match(pressed.body, /id="result"/, button);
        assert.equal(pressed.cache, "no-store", button);
      }
      assert.equal(d.calltouch.b.requests.length, 0, "B was never touched");
    });

    await t.step("the admin key opens every clinic, and every clinic at once", async () => {
      for (const id of ["a", "b", "c"]) {
        assert.equal((await answer(d.worker, ROUTES.panel(ADMIN, `target=${id}`))).status, 200, id);
      }
      const synced = await answer(d.worker, ROUTES["/sync"](ADMIN, "target=b"));
      assert.equal(synced.status, 200);
      assert.equal(d.calltouch.b.deals.size, 2);
      const all = await answer(d.worker, ROUTES["/sync"](ADMIN, ""));
      assert.ok([200, 207].includes(all.status), all.body);
      assert.deepEqual(JSON.parse(all.body).reports.map((r: { target: string }) => r.target), [
        "a",
        "b",
        "c",
      ]);
      // B's key, like A's, opens B alone.
      assert.equal((await answer(d.worker, ROUTES.panel(KEY_B, "target=b"))).status, 200);
      assert.equal((await answer(d.worker, ROUTES.panel(KEY_B, "target=a"))).status, 403);
    });
  } finally {
    await d.close();
  }
});

Deno.test("clinic keys: the dry run's exact payloads (contacts) answer the admin key only", async () => {
  const d = await deploy();
  try {
    const clinic = await answer(d.worker, ROUTES["dry run"](KEY_A, "target=a"));
    assert.equal(clinic.status, 200, clinic.body);
    assert.equal(clinic.cache, "no-store");
    const report = JSON.parse(clinic.body);
    assert.equal(report.trigger, "dry-run");
    assert.equal(report.counts.created, 2);
    assert.equal(report.payloads, undefined);
    assert.match(report.payloadsWithheld, /только ключ администратора \(SYNC_TOKEN\)/);
    assert.deepEqual(report.preview.map((row: { orderNumber: string }) => row.orderNumber), [
      "A1",
      "A2",
    ], "the table without contacts, as the panel shows it");
    assert.ok(!clinic.body.includes(PHONE_A), "no contact in a clinic's answer");

    const admin = await answer(d.worker, ROUTES["dry run"](ADMIN, "target=a"));
    assert.equal(admin.status, 200);
    assert.equal(admin.cache, "no-store");
    const exact = JSON.parse(admin.body);
    assert.equal(exact.payloads.create[0].orders.length, 2);
    assert.ok(admin.body.includes(PHONE_A), "the admin gets the exact payloads");
    assert.equal(exact.payloadsWithheld, undefined);
    assert.equal(d.calltouch.a.requests.length, 0, "a dry run sends nothing");
  } finally {
    await d.close();
  }
});
