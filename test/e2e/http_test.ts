/**
 * The Worker's HTTP interface in workerd: auth, dry run, status page, setup, config errors, the
 * headers of every answer, and the throttling of wrong keys.
 */
import assert from "node:assert/strict";
import { demoClinicRows } from "../../sheets/demo/typed_cells.ts";
import { startRig, SYNC_TOKEN, TAB } from "../support/e2e.ts";
import { startWorker } from "../support/worker.ts";
import {
  AUTH_FAILURE_WINDOW_MS,
  AUTH_FAILURES_PREFIX,
  failureKey,
  MAX_AUTH_FAILURES,
} from "../../src/http/throttle.ts";

const basic = (password: string) => ({ authorization: `Basic ${btoa(`clinic:${password}`)}` });

Deno.test("POST /sync answers 401 without a token or with a wrong one, and runs nothing", async () => {
  const rig = await startRig({ rows: await demoClinicRows() });
  try {
    for (const token of [null, "wrong-token", `${SYNC_TOKEN}x`, ""]) {
      const { status, body } = await rig.sync({ token });
      assert.equal(status, 401, `token ${token}`);
      assert.equal(body.ok, false);
      assert.equal(body.error.kind, "auth");
      assert.match(body.error.message, /^Нужен ключ: передайте заголовок `Authorization: Bearer/);
      assert.ok(!JSON.stringify(body).includes(SYNC_TOKEN));
    }
    assert.equal(rig.google.counters().valuesRead, 0);
    assert.equal(rig.calltouch.requests.length, 0);
    const missing = await rig.worker.fetch("/nope", { method: "POST" });
    assert.equal(missing.status, 404);
    assert.deepEqual((await missing.json()).error, {
      kind: "not_found",
      message: "Нет такого адреса: POST /nope",
    });
  } finally {
    await rig.close();
  }
});

Deno.test("POST /sync?dryRun=1 returns the plan with exact payloads and changes nothing anywhere", async () => {
  const rig = await startRig({ rows: await demoClinicRows() });
  try {
    const kvBefore = await rig.kvDump();
    const cellsBefore = JSON.stringify(rig.cells());
    const { status, body } = await rig.sync({ dryRun: true });
    assert.equal(status, 200);
    assert.equal(body.trigger, "dry-run");
    assert.equal(body.counts.created, 11);
    assert.equal(body.payloads.create.length, 1);
    const [request] = body.payloads.create;
    assert.equal(request.crm, "Google Sheets");
    assert.equal(request.orders.length, 11);
    assert.deepEqual(request.orders[0].matching[0], {
      type: "callContact",
      callContactParams: {
        phones: ["79157771122"],
        date: "20-11-2026 10:30:00",
        callTypeToMatch: "nearest",
        searchDepth: 259200,
      },
    });
    assert.ok(body.rows.some((r: { action: string }) => r.action === "invalid"));
    assert.equal(rig.calltouch.requests.length, 0, "nothing sent");
    assert.equal(rig.google.counters().writes, 0, "nothing written to the sheet");
    assert.equal(JSON.stringify(rig.cells()), cellsBefore);
    assert.deepEqual(await rig.kvDump(), kvBefore, "nothing stored");
  } finally {
    await rig.close();
  }
});

Deno.test("GET / shows the status page behind Basic auth", async () => {
  const rig = await startRig({ rows: await demoClinicRows() });
  try {
    const denied = await rig.worker.fetch("/");
    assert.equal(denied.status, 401);
    assert.match(denied.headers.get("www-authenticate") ?? "", /^Basic /);
    assert.equal((await rig.worker.fetch("/", { headers: basic("nope") })).status, 401);

    const empty = await rig.worker.fetch("/", { headers: basic(SYNC_TOKEN) });
    assert.equal(empty.status, 200);
    assert.match(await empty.text(), /Синхронизация ещё не запускалась/);

    await rig.worker.scheduled();
    const page = await rig.worker.fetch("/", { headers: basic(SYNC_TOKEN) });
    const html = await page.text();
    assert.match(html, /<h1>Синхронизация сделок с Calltouch<\/h1>/);
    assert.match(html, /по расписанию/);
    assert.match(html, /создано 11/);
    assert.match(html, /нет такой даты «31\.02\.2026 09:00»/, "problems by row");
    assert.match(html, /Следующий запуск по расписанию/);
    // Without SHEET_NAME the panel names the tab the run read (the first one).
    assert.match(html, new RegExp(`Лист «${TAB}» → проект Calltouch ${rig.calltouch.siteId}`));
    assert.match(html, /\d,\d с</, "the run's duration in Russian units");
    assert.match(
      html,
      /Часовой пояс таблицы: Europe\/Moscow; даты уходят в Calltouch в поясе Europe\/Moscow/,
    );
    assert.doesNotMatch(html, /Пояса различаются/);

    await rig.restart({ CALLTOUCH_TIME_ZONE: "Asia/Novosibirsk", SHEET_NAME: TAB });
    await rig.worker.scheduled();
    const zoned = await (await rig.worker.fetch("/", { headers: basic(SYNC_TOKEN) })).text();
    assert.match(zoned, /Лист «Сделки» → проект Calltouch/);
    assert.match(zoned, /в поясе Asia\/Novosibirsk/);
    assert.match(zoned, /Пояса различаются/);
    assert.match(zoned, /выбран пояс Asia\/Novosibirsk/);
  } finally {
    await rig.close();
  }
});

Deno.test("settings problems: 500 listing every bad setting, never a secret", async () => {
  const worker = await startWorker({
    bindings: {
      SYNC_TOKEN,
      CALLTOUCH_TOKEN: "ct-secret-value",
      GOOGLE_SERVICE_ACCOUNT: "{not json secret-key",
      MATCH_MODE: "first",
    },
  });
  try {
    const res = await worker.fetch("/sync", {
      method: "POST",
      headers: { authorization: `Bearer ${SYNC_TOKEN}` },
    });
    assert.equal(res.status, 500);
    const body = await res.json();
    assert.equal(body.error.kind, "config");
    assert.deepEqual(body.error.problems.map((p: string) => p.split(" ")[0]), [
      "SPREADSHEET_ID",
      "CALLTOUCH_SITE_ID",
      "GOOGLE_SERVICE_ACCOUNT",
      "MATCH_MODE",
    ]);
    // Neither secret's value (the messages may say `wrangler secret put`, not what was put).
    const text = JSON.stringify(body);
    assert.ok(!text.includes("ct-secret-value") && !text.includes("secret-key"), text);
    const cron = await worker.scheduled();
    assert.equal(cron.outcome, "exception");
    const page = await worker.fetch("/", { headers: basic(SYNC_TOKEN) });
    assert.match(await page.text(), /Настройки содержат ошибки/);
  } finally {
    await worker.dispose();
  }
});

Deno.test("without SYNC_TOKEN the HTTP routes are closed, /healthz still answers", async () => {
  const worker = await startWorker();
  try {
    const sync = await worker.fetch("/sync", { method: "POST" });
    assert.equal(sync.status, 500);
    assert.match((await sync.json()).error.message, /SYNC_TOKEN не задан/);
    assert.equal((await worker.fetch("/")).status, 500);
    assert.equal((await worker.fetch("/healthz")).status, 200);
    assert.equal((await worker.fetch("/nope")).status, 404);
  } finally {
    await worker.dispose();
  }
  // The HTTP layer's words follow STATUS_LANGUAGE, like everything else a person reads.
  const english = await startWorker({ bindings: { STATUS_LANGUAGE: "en" } });
  try {
    const sync = await english.fetch("/sync", { method: "POST" });
    assert.equal(sync.headers.get("content-language"), "en");
    const { error } = await sync.json();
    assert.match(error.message, /^Invalid settings:\n- SYNC_TOKEN is missing/);
    assert.equal(
      await (await english.fetch("/")).text(),
      "SYNC_TOKEN is not set: the status page is disabled.",
    );
    assert.equal((await (await english.fetch("/nope")).json()).error.message, "No route GET /nope");
  } finally {
    await english.dispose();
  }
});

Deno.test("POST /setup prepares the sheet once and reports what it did", async () => {
  const rig = await startRig({ rows: await demoClinicRows() });
  try {
    const post = () =>
      rig.worker.fetch("/setup", {
        method: "POST",
        headers: { authorization: `Bearer ${SYNC_TOKEN}` },
      });
    assert.equal((await rig.worker.fetch("/setup", { method: "POST" })).status, 401);
    const first = await post();
    assert.equal(first.status, 200);
    const report = await first.json();
    assert.equal(report.ok, true);
    assert.equal(report.changed, true);
    assert.equal(rig.cells()[0].at(-1), "Calltouch");
    const second = await (await post()).json();
    assert.equal(second.changed, false);
    assert.equal(second.requests, 0);
  } finally {
    await rig.close();
  }
});

/** The headers every answer carries, whatever the route and the outcome. */
function assertSecurityHeaders(res: Response, what: string): void {
  assert.equal(res.headers.get("referrer-policy"), "no-referrer", what);
  assert.equal(res.headers.get("x-content-type-options"), "nosniff", what);
  assert.equal(
    res.headers.get("strict-transport-security"),
    "max-age=31536000; includeSubDomains",
    what,
  );
  assert.equal(res.headers.get("x-frame-options"), "DENY", what);
  assert.equal(res.headers.get("cache-control"), "no-store", what);
}

Deno.test("every answer carries the security headers and Cache-Control: no-store", async () => {
  const rig = await startRig({ rows: await demoClinicRows() });
  const closed = await startWorker();
  try {
    const bearer = { authorization: `Bearer ${SYNC_TOKEN}` };
    const form = {
      ...basic(SYNC_TOKEN),
      "content-type": "application/x-www-form-urlencoded",
      origin: "http://worker.test",
      "sec-fetch-site": "same-origin",
    };
    const requests: [string, number, string, RequestInit?][] = [
      ["GET /healthz", 200, "/healthz"],
      ["an unknown route", 404, "/nope"],
      ["/sync without a key", 401, "/sync", { method: "POST" }],
      ["/sync", 200, "/sync", { method: "POST", headers: bearer }],
      ["the dry run", 200, "/sync?dryRun=1", { method: "POST", headers: bearer }],
      ["/setup", 200, "/setup", { method: "POST", headers: bearer }],
      ["the panel without a key", 401, "/"],
      ["the panel", 200, "/", { headers: basic(SYNC_TOKEN) }],
      ["a button", 200, "/actions/dry-run", { method: "POST", headers: form, body: "" }],
      ["a cross-site post", 403, "/actions/sync", {
        method: "POST",
        headers: { ...form, origin: "https://evil.example", "sec-fetch-site": "cross-site" },
        body: "",
      }],
      ["an unknown button", 404, "/actions/nope", { method: "POST", headers: form, body: "" }],
    ];
    for (const [what, status, path, init] of requests) {
      const res = await rig.worker.fetch(path, init);
      await res.body?.cancel();
      assert.equal(res.status, status, what);
      assertSecurityHeaders(res, what);
    }
    // Settings problems: a 500 carries them too.
    const broken = await closed.fetch("/sync", { method: "POST", headers: bearer });
    assert.equal(broken.status, 500);
    assertSecurityHeaders(broken, "500 without SYNC_TOKEN");
    const page = await rig.worker.fetch("/", { headers: basic(SYNC_TOKEN) });
    assert.match(page.headers.get("content-security-policy") ?? "", /default-src 'none'/);
  } finally {
    await closed.dispose();
    await rig.close();
  }
});

Deno.test("wrong keys are throttled per client: 429 + Retry-After, other clients unaffected", async (t) => {
  const rig = await startRig({ rows: await demoClinicRows() });
  const from = (ip: string, key: string | null, panel = false): Promise<Response> => {
    const headers: Record<string, string> = { "CF-Connecting-IP": ip };
    if (key !== null) {
      Object.assign(headers, panel ? basic(key) : { authorization: `Bearer ${key}` });
    }
    return panel
      ? rig.worker.fetch("/", { headers })
      : rig.worker.fetch("/sync?dryRun=1", { method: "POST", headers });
  };
  const guesser = "203.0.113.7";
  try {
    await t.step("a few wrong keys answer 401, then even the right one answers 429", async () => {
      for (let i = 1; i <= MAX_AUTH_FAILURES; i++) {
        const res = await from(guesser, `wrong-key-number-${i}-0123456789`, i % 2 === 0);
        await res.body?.cancel();
        assert.equal(res.status, 401, `wrong key ${i}`);
      }
      const locked = await from(guesser, SYNC_TOKEN);
      assert.equal(locked.status, 429);
      const seconds = Number(locked.headers.get("retry-after"));
      assert.ok(seconds > 0 && seconds <= AUTH_FAILURE_WINDOW_MS / 1000, `Retry-After ${seconds}`);
      assertSecurityHeaders(locked, "429");
      const body = await locked.json();
      assert.equal(body.error.kind, "throttled");
      assert.equal(body.error.retryAfterSeconds, seconds);
      const panel = await from(guesser, SYNC_TOKEN, true);
      assert.equal(panel.status, 429);
      assert.ok(Number(panel.headers.get("retry-after")) > 0);
      assert.match(await panel.text(), /Слишком много неверных паролей/);
      assert.equal(rig.google.counters().valuesRead, 0, "a locked client runs nothing");
    });

    await t.step(
      "the right key from another client still works; its wrong one is its own",
      async () => {
        const other = await from("198.51.100.20", SYNC_TOKEN);
        assert.equal(other.status, 200);
        assert.equal((await other.json()).trigger, "dry-run");
        const otherWrong = await from("198.51.100.20", "wrong-key-0123456789abcdef");
        await otherWrong.body?.cancel();
        assert.equal(otherWrong.status, 401, "one wrong key does not lock");
        // The same subscriber's next IPv6 address is the same client; another subscriber is not.
        for (let i = 0; i < MAX_AUTH_FAILURES; i++) {
          await (await from("2001:db8:0:1::1", "wrong-key-0123456789abcdef")).body?.cancel();
        }
        const sameSubscriber = await from("2001:db8:0:1::2", SYNC_TOKEN);
        await sameSubscriber.body?.cancel();
        assert.equal(sameSubscriber.status, 429);
        const nextSubscriber = await from("2001:db8:0:2::1", SYNC_TOKEN);
        await nextSubscriber.body?.cancel();
        assert.equal(nextSubscriber.status, 200);
      },
    );

    await t.step("KV keeps a count per client, never the address", async () => {
      const records = [...(await rig.kvDump())].filter(([key]) =>
        key.startsWith(AUTH_FAILURES_PREFIX)
      );
      assert.equal(records.length, 3, "the guesser, the other client, the IPv6 subscriber");
      for (const [key, value] of records) {
        assert.ok(!/203\.0\.113|198\.51|2001/.test(key + value), key);
      }
    });

    await t.step("after the window a wrong key counts afresh and the right one works", async () => {
      // The window passing: the clock is the record's end, moved to the past.
      const key = await failureKey(guesser, SYNC_TOKEN);
      const record = await rig.worker.kv.get<{ failures: number; until: number }>(key, "json");
      assert.equal(record?.failures, MAX_AUTH_FAILURES);
      await rig.worker.kv.put(key, JSON.stringify({ ...record, until: Date.now() - 1 }));
      const wrong = await from(guesser, "wrong-key-0123456789abcdef");
      await wrong.body?.cancel();
      assert.equal(wrong.status, 401);
      assert.equal((await rig.worker.kv.get<{ failures: number }>(key, "json"))?.failures, 1);
      const right = await from(guesser, SYNC_TOKEN);
      await right.body?.cancel();
      assert.equal(right.status, 200);
    });

    await t.step("requests without a key are not counted", async () => {
      for (let i = 0; i < MAX_AUTH_FAILURES + 1; i++) {
        await (await from("192.0.2.9", null, true)).body?.cancel();
      }
      assert.equal((await from("192.0.2.9", SYNC_TOKEN, true)).status, 200);
    });
  } finally {
    await rig.close();
  }
});
