/**
 * The Apps Script menu against the real Worker: Code.js runs with fakes of the Apps Script
 * services, and its `UrlFetchApp.fetch` is answered by the Worker in workerd (Google and
 * Calltouch played by the emulators).
 *
 * `UrlFetchApp.fetch` is synchronous and the Worker is not, so each menu action runs twice:
 * once to learn the exact request the script sends, which is then sent to the Worker, and once
 * more with the Worker's real answer, checking the script sent the very same request.
 */
import assert from "node:assert/strict";
import { demoClinicRows } from "../../../sheets/demo/typed_cells.ts";
import { type Rig, SPREADSHEET_ID, startRig, SYNC_TOKEN, TAB } from "../../support/e2e.ts";
import { contactsOf } from "../../cli/support.ts";
import { fakeAppsScript, type FetchCall } from "../support/apps_script.ts";

const WORKER_URL = "https://calltouch-sheet-sync.clinic.workers.dev";
/** The menu says which sheet and tab it was used in (a Worker with TARGETS picks by them). */
const WHERE = `spreadsheet=${SPREADSHEET_ID}&tab=${encodeURIComponent(TAB)}`;

/** Saves the address and the token through the Settings dialog, as the clinic would. */
function configuredProperties(token = SYNC_TOKEN): Record<string, string> {
  const app = fakeAppsScript({
    prompts: [{ button: "OK", text: WORKER_URL }, { button: "OK", text: token }],
  });
  app.script.menuSettings();
  assert.equal(app.recording.alerts[0]?.title, "Настройки сохранены");
  return Object.fromEntries(app.properties);
}

/** Sends what the script asked `UrlFetchApp` for to the Worker and returns its real answer. */
async function forward(
  rig: Rig,
  call: FetchCall,
): Promise<{ status: number; body: string; headers: Record<string, string> }> {
  const url = new URL(call.url);
  assert.equal(url.origin, WORKER_URL);
  const response = await rig.worker.fetch(url.pathname + url.search, {
    method: (call.params.method ?? "get").toUpperCase(),
    headers: call.params.headers,
    redirect: call.params.followRedirects === false ? "manual" : "follow",
  });
  return {
    status: response.status,
    body: await response.text(),
    headers: Object.fromEntries(response.headers),
  };
}

/** Runs a menu action with `UrlFetchApp` answered by the real Worker. */
async function viaWorker(
  rig: Rig,
  action: "menuSync" | "menuDryRun",
  properties: Record<string, string>,
) {
  const learn = fakeAppsScript({
    properties,
    fetch: () => ({ throws: "not sent yet" }),
    spreadsheetId: SPREADSHEET_ID,
    activeTab: TAB,
  });
  learn.script[action]();
  assert.equal(learn.recording.requests.length, 1);
  const [call] = learn.recording.requests;
  const answer = await forward(rig, call);

  const app = fakeAppsScript({
    properties,
    spreadsheetId: SPREADSHEET_ID,
    activeTab: TAB,
    fetch: (again) => {
      assert.deepEqual(again, call, "the script sends the same request every time");
      return answer;
    },
  });
  app.script[action]();
  return { app, call, answer };
}

Deno.test("menu against the real Worker: dry run, sync, wrong token, broken settings", async (t) => {
  const rig = await startRig({ rows: await demoClinicRows() });
  try {
    const properties = configuredProperties();

    await t.step(
      "«Проверить без отправки» lists the problems by row and changes nothing",
      async () => {
        const before = rig.cells();
        const { app, call, answer } = await viaWorker(rig, "menuDryRun", properties);
        assert.equal(call.url, `${WORKER_URL}/sync?dryRun=1&${WHERE}`);
        assert.equal(app.recording.alerts.length, 1);
        const { title, text } = app.recording.alerts[0];
        assert.equal(title, "Проверка без отправки");
        assert.match(text, /^Будет создано сделок: 11\nБудет обновлено: 0\nБез изменений: 0\n/);
        assert.match(
          text,
          /\nПроблемы в строках \(9\):\n• Строка 6, сделка 1005: B6 \(Дата сделки\): /,
        );
        assert.match(text, /Это проверка: ничего не отправлено/);
        // The dry-run answer carries the payloads with contacts; the dialog shows none of them.
        const payloads = JSON.stringify(JSON.parse(answer.body).payloads);
        const contacts = payloads.match(/\b7\d{10}\b|[\w.+-]+@[\w-]+\.[\w.]+/g) ?? [];
        assert.ok(contacts.length >= 3, "the payloads hold contacts");
        for (const contact of contacts) assert.ok(!text.includes(contact), contact);
        assert.deepEqual(rig.cells(), before);
        assert.equal(rig.calltouch.requests.length, 0);
        assert.deepEqual(app.recording.sheetCalls, []);
      },
    );

    await t.step("«Синхронизировать сейчас» sends and toasts the counts", async () => {
      const { app, call } = await viaWorker(rig, "menuSync", properties);
      assert.equal(call.url, `${WORKER_URL}/sync?${WHERE}`);
      assert.deepEqual(app.recording.alerts, []);
      assert.deepEqual(app.recording.toasts.at(-1), {
        title: "Calltouch: синхронизация завершена",
        text: "Создано: 11, обновлено: 0, без изменений: 0, ошибки в данных: 9, не принято: 0. " +
          "Подробности — в столбце Calltouch.",
        seconds: 15,
      });
      assert.match(rig.statusOf("1001") ?? "", /^✅/);
      assert.deepEqual(app.recording.sheetCalls, []);
    });

    await t.step("a second sync finds nothing new", async () => {
      const { app } = await viaWorker(rig, "menuSync", properties);
      assert.match(
        app.recording.toasts.at(-1)?.text ?? "",
        /^Создано: 0, обновлено: 0, без изменений: 11,/,
      );
    });

    await t.step("a wrong token gets the Worker's 401, in words", async () => {
      const wrong = configuredProperties("a-wrong-token-of-enough-length");
      const { app, answer } = await viaWorker(rig, "menuSync", wrong);
      assert.equal(answer.status, 401);
      assert.deepEqual(app.recording.alerts, [{
        title: "Calltouch: не получилось",
        text: "Worker не принял токен (ответ 401). Проверьте токен: Calltouch → Настройки.",
      }]);
    });

    await t.step("a Worker with STATUS_LANGUAGE=en: the menu speaks English", async () => {
      await rig.restart({ STATUS_LANGUAGE: "en" });
      const { app, answer } = await viaWorker(rig, "menuSync", properties);
      assert.equal(answer.headers["content-language"], "en");
      assert.equal(app.properties.get("CALLTOUCH_LANGUAGE"), "en");
      assert.match(
        app.recording.toasts.at(-1)?.text ?? "",
        /^Created: 0, updated: 0, unchanged: 11,/,
      );
      app.script.onOpen();
      assert.deepEqual(app.recording.menus[0].items[0], ["Sync now", "menuSync"]);
      await rig.restart({ STATUS_LANGUAGE: "ru" });
    });

    await t.step(
      "a Worker with broken settings answers 500 with the list, shown as such",
      async () => {
        await rig.restart({ CALLTOUCH_SITE_ID: "not-a-number", SEARCH_DEPTH_MINUTES: "soon" });
        const { app, answer } = await viaWorker(rig, "menuDryRun", properties);
        assert.equal(answer.status, 500);
        assert.equal(app.recording.alerts.length, 1);
        assert.equal(
          app.recording.alerts[0].text,
          "Worker не может работать: в его настройках ошибки. Передайте этот список тому, кто " +
            "настраивал Worker:\n" +
            '• CALLTOUCH_SITE_ID must be a number, got "not-a-number"\n' +
            '• SEARCH_DEPTH_MINUTES must be a whole number of minutes, got "soon"',
        );
      },
    );
  } finally {
    await rig.close();
  }
});

Deno.test("menu with a clinic's token against a Worker serving several clinics", async (t) => {
  const rig = await startRig({ rows: await demoClinicRows() });
  const CLINIC_KEY = "clinic-own-token-0123456789abcdef";
  const OTHER_KEY = "other-clinic-token-0123456789abcdef";
  try {
    await rig.restart({
      TARGETS: JSON.stringify([
        {
          id: "clinic",
          spreadsheet: SPREADSHEET_ID,
          tab: TAB,
          calltouchSiteId: rig.calltouch.siteId,
          calltouchTokenSecret: "CALLTOUCH_TOKEN_CLINIC",
          syncTokenSecret: "SYNC_TOKEN_CLINIC",
          CALLTOUCH_API_URL: rig.calltouch.url,
        },
        {
          id: "other",
          spreadsheet: "1OtherClinicSheet_abcdefghijklmnopqrstuvwxyz01",
          calltouchSiteId: "999",
          calltouchTokenSecret: "CALLTOUCH_TOKEN_CLINIC",
          syncTokenSecret: "SYNC_TOKEN_OTHER",
        },
      ]),
      CALLTOUCH_TOKEN_CLINIC: rig.calltouch.token,
      SYNC_TOKEN_CLINIC: CLINIC_KEY,
      SYNC_TOKEN_OTHER: OTHER_KEY,
    });
    const clinic = configuredProperties(CLINIC_KEY);

    await t.step(
      "the dry run: the clinic's own sheet, counts and problems, no contacts sent back",
      async () => {
        const { app, call, answer } = await viaWorker(rig, "menuDryRun", clinic);
        assert.equal(
          call.url,
          `${WORKER_URL}/sync?dryRun=1&${WHERE}`,
          "the menu names its sheet and tab",
        );
        assert.equal(answer.status, 200);
        const body = JSON.parse(answer.body);
        assert.equal(body.payloads, undefined, "the exact payloads answer the admin key only");
        for (const contact of contactsOf(await demoClinicRows())) {
          assert.ok(!answer.body.includes(contact), "no contact in the answer");
        }
        assert.match(app.recording.alerts[0].text, /^Будет создано сделок: 11\n/);
      },
    );

    await t.step("«Синхронизировать сейчас» syncs the clinic's sheet", async () => {
      const { app } = await viaWorker(rig, "menuSync", clinic);
      assert.match(app.recording.toasts.at(-1)?.text ?? "", /^Создано: 11, /);
      assert.match(rig.statusOf("1001") ?? "", /^✅/);
    });

    await t.step("another clinic's token on this sheet: 403, in words", async () => {
      const { app, answer } = await viaWorker(rig, "menuSync", configuredProperties(OTHER_KEY));
      assert.equal(answer.status, 403);
      assert.deepEqual(app.recording.alerts, [{
        title: "Calltouch: не получилось",
        text: `Токен из настроек не открывает лист «${TAB}» этой таблицы (он открывает: other). ` +
          "Перейдите на лист, который синхронизируется, или введите токен этой таблицы: " +
          "Calltouch → Настройки. Токен даёт тот, кто настраивал Worker.",
      }]);
    });
  } finally {
    await rig.close();
  }
});
