/**
 * `deno task init` end to end: a fake `wrangler` first on PATH (a Cloudflare account in a JSON
 * file, see `fake_wrangler.ts`), the Google emulator for the sheet, and the real Worker in
 * workerd started by the fake deploy with exactly the settings and secrets init put.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { main } from "../../scripts/init.ts";
import type { Ask } from "../../scripts/init/answers.ts";
import { producerQueues, setValue, tableStrings, tomlString } from "../../scripts/init/toml.ts";
import { startGoogleEmulator } from "../emulators/google.ts";
import { testServiceAccount } from "../support/service_account.ts";
import { startWorker, type TestWorker } from "../support/worker.ts";
import { type FakeAccount, freshAccount } from "./fake_wrangler.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const FAKE = new URL("./fake_wrangler.ts", import.meta.url).pathname;
const SPREADSHEET_ID = "1InitClinicSheet_abcdefghijklmnopqrstuvwxyz012";
const SHEET_URL = `https://docs.google.com/spreadsheets/u/0/d/${SPREADSHEET_ID}/edit#gid=0`;
const TAB = "Сделки";
const CALLTOUCH_KEY = "ct-live-key-0123456789";
/** What a run of init may take, at most (a deploy restarts workerd). */
const RUN_LIMIT_MS = 90_000;

/** The commands of the calls (the first words that name what wrangler did). */
/** What a first run asks wrangler before anything else: who is logged in, the namespace. */
const FIRST_CALLS = [
  "whoami --json",
  "kv namespace list",
  "kv namespace create calltouch-sheet-sync-SYNC_STATE",
];

function commands(account: FakeAccount): string[] {
  return account.calls.map((call) => call.args.slice(0, call.args[0] === "kv" ? 4 : 3).join(" "));
}

/** Everything a test needs: temp project dir, fake wrangler, emulator, control server. */
async function startRig(options: { shared?: boolean } = {}) {
  Deno.env.set("CLOUDFLARE_CF_FETCH_ENABLED", "false");
  Deno.env.set("WRANGLER_SEND_METRICS", "false");
  const account = await testServiceAccount();
  const google = await startGoogleEmulator();
  google.createSpreadsheet({
    spreadsheetId: SPREADSHEET_ID,
    title: "Клиника — сделки",
    sheets: [{
      title: TAB,
      values: [
        ["ID сделки", "Дата сделки", "Статус", "Телефон", "Сумма"],
        ["1001", "20.11.2026", "Запись", "+7 915 777-11-22", "1500"],
        ["1002", "21.11.2026 10:30", "Визит", "8 (916) 555-44-33", "2 000"],
        ["1003", "31.02.2026", "Запись", "+7 917 000-00-00", ""],
      ],
    }],
    sharedWith: options.shared === false ? [] : [account.clientEmail],
  });
  const dir = await Deno.makeTempDir({ prefix: "cts-init-" });
  // The shipped wrangler.toml, pointed at the emulators: init edits this copy.
  const shipped = await Deno.readTextFile(join(ROOT, "wrangler.toml"));
  const toml = setValue(
    setValue(shipped, "vars", "GOOGLE_SHEETS_API_URL", tomlString(google.url)),
    "vars",
    "GOOGLE_TOKEN_URL",
    tomlString(google.tokenUrl),
  );
  assert.notEqual(toml, shipped);
  await Deno.writeTextFile(join(dir, "wrangler.toml"), toml);
  const keyFile = join(dir, "clinic-sync-4f2a.json");
  const keyText = JSON.stringify(JSON.parse(account.json), null, 2) + "\n";
  await Deno.writeTextFile(keyFile, keyText);
  const calltouchKeyFile = join(dir, "calltouch-key.txt");
  await Deno.writeTextFile(calltouchKeyFile, CALLTOUCH_KEY + "\n");

  const bin = join(dir, "bin");
  await Deno.mkdir(bin);
  await Deno.writeTextFile(
    join(bin, "wrangler"),
    `#!/bin/sh\nexec "${Deno.execPath()}" run -A --no-config --no-lock "${FAKE}" "$@"\n`,
    { mode: 0o755 },
  );
  const statePath = join(dir, "account.json");
  const writeAccount = (a: FakeAccount) => Deno.writeTextFile(statePath, JSON.stringify(a));
  const readAccount = async () => JSON.parse(await Deno.readTextFile(statePath)) as FakeAccount;
  await writeAccount(freshAccount());

  // The "deployed" Worker: the real one in workerd, with wrangler.toml's vars and the secrets.
  let worker: TestWorker | undefined;
  const deploys: Record<string, string>[] = [];
  const control = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const { cwd, secrets } = await req.json();
    const text = await Deno.readTextFile(join(cwd, "wrangler.toml"));
    const kvId = /\[\[kv_namespaces\]\][^[]*?id = "([0-9a-f]{32})"/.exec(text)?.[1];
    const known = (await readAccount()).namespaces.map((n) => n.id);
    if (!kvId || !known.includes(kvId)) {
      return Response.json({ error: `KV namespace ${kvId} not found` }, { status: 400 });
    }
    const bindings = { ...tableStrings(text, "vars"), ...secrets };
    deploys.push(bindings);
    await worker?.dispose();
    worker = await startWorker({
      bindings,
      queue: producerQueues(text).length > 0 ? {} : undefined,
    });
    return Response.json({ url: worker.url });
  });

  let sleeps = 0;
  let clock = Date.now();
  let onSleep: (n: number) => void = () => {};
  const run = async (args: string[], env: Record<string, string> = {}, ask?: Ask) => {
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => {
      throw new Error(`init ran longer than ${RUN_LIMIT_MS} ms`);
    }, RUN_LIMIT_MS);
    try {
      const code = await main([...args, "--config-dir", dir, ...(ask ? [] : ["--no-input"])], {
        ask,
        env: {
          ...Deno.env.toObject(),
          // What the environment might say on this machine does not count.
          GOOGLE_SERVICE_ACCOUNT_FILE: "",
          CALLTOUCH_TOKEN: "",
          SYNC_TOKEN: "",
          CLOUDFLARE_ACCOUNT_ID: "",
          PATH: `${bin}:${Deno.env.get("PATH")}`,
          WRANGLER: "wrangler",
          FAKE_WRANGLER_STATE: statePath,
          FAKE_WRANGLER_CONTROL: `http://127.0.0.1:${control.addr.port}`,
          ...env,
        },
        cwd: dir,
        stdout: (text) => void (stdout += text),
        stderr: (text) => void (stderr += text),
        // The waits pass on a clock of their own: no test sleeps for real.
        sleep: (ms) => {
          clock += ms;
          onSleep(++sleeps);
          return Promise.resolve();
        },
        now: () => clock,
      });
      return { code, stdout, stderr, explain: `exit ${code}\n${stdout}\n${stderr}` };
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    account,
    google,
    dir,
    keyFile,
    keyText,
    calltouchKeyFile,
    deploys,
    readAccount,
    writeAccount,
    toml: () => Deno.readTextFile(join(dir, "wrangler.toml")),
    run,
    sleeps: () => sleeps,
    onSleep: (hook: (n: number) => void) => void (onSleep = hook),
    async close() {
      await worker?.dispose();
      await control.shutdown();
      await google.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

type Rig = Awaited<ReturnType<typeof startRig>>;

function firstRunArgs(rig: Rig): string[] {
  return [
    "--spreadsheet",
    SHEET_URL,
    "--tab",
    TAB,
    "--site-id",
    "12345",
    "--google-key-file",
    rig.keyFile,
    "--calltouch-key-file",
    rig.calltouchKeyFile,
    "--wait-minutes",
    "1",
  ];
}

/** No line of the private key, and not the Calltouch key, in any text. */
function assertNoSecrets(rig: Rig, texts: string[], what: string): void {
  const pem = rig.account.privateKeyPem.split("\n").filter((line) => line.length > 20);
  for (const text of texts) {
    for (const line of pem) assert.ok(!text.includes(line), `${what}: a line of the private key`);
    assert.ok(!text.includes(CALLTOUCH_KEY), `${what}: the Calltouch key`);
  }
}

Deno.test("init: a first run, a second run, a repair: each call once, then none, then one", async (t) => {
  const rig = await startRig();
  try {
    const shipped = await rig.toml();
    let syncToken = "";

    await t.step(
      "first run: every call once, in order; the panel and the clinic's message",
      async () => {
        const result = await rig.run(firstRunArgs(rig));
        assert.equal(result.code, 0, result.explain);
        const account = await rig.readAccount();
        assert.deepEqual(commands(account), [
          ...FIRST_CALLS,
          "secret list --format",
          "secret put GOOGLE_SERVICE_ACCOUNT",
          "secret put CALLTOUCH_TOKEN",
          "secret put SYNC_TOKEN",
          "secret put STATE_KEY",
          "deploy",
        ]);

        // The key file's content went on stdin, whole; never in the arguments or the output.
        assert.equal(account.secrets.GOOGLE_SERVICE_ACCOUNT, rig.keyText.trimEnd());
        const put = account.calls.find((c) =>
          c.args.join(" ") === "secret put GOOGLE_SERVICE_ACCOUNT"
        );
        assert.equal(put?.stdinBytes, new TextEncoder().encode(rig.keyText.trimEnd()).length);
        assertNoSecrets(rig, account.calls.map((c) => c.args.join(" ")), "wrangler's arguments");
        assertNoSecrets(rig, [result.stdout, result.stderr], "init's output");
        assert.equal(account.secrets.CALLTOUCH_TOKEN, CALLTOUCH_KEY);
        syncToken = account.secrets.SYNC_TOKEN;
        assert.match(syncToken, /^[0-9a-f]{48}$/);
        assert.equal(result.stdout.split(syncToken).length - 1, 1, "SYNC_TOKEN is printed once");
        const stateKey = account.secrets.STATE_KEY;
        assert.match(stateKey, /^[0-9a-f]{64}$/, "STATE_KEY: 32 random bytes");
        assert.equal(result.stdout.split(stateKey).length - 1, 1, "STATE_KEY is printed once");

        // wrangler.toml: the namespace id and the three settings, nothing else (comments kept).
        const toml = await rig.toml();
        const namespace = account.namespaces[0];
        const changed = diffLines(shipped, toml);
        assert.deepEqual(changed, [
          [`id = "00000000000000000000000000000000"`, `id = "${namespace.id}"`],
          [`SPREADSHEET_ID = ""`, `SPREADSHEET_ID = "${SPREADSHEET_ID}"`],
          [`SHEET_NAME = ""`, `SHEET_NAME = "${TAB}"`],
          [`CALLTOUCH_SITE_ID = ""`, `CALLTOUCH_SITE_ID = "12345"`],
        ]);

        // The deployed Worker got exactly that, and answered the dry run.
        assert.equal(rig.deploys.length, 1);
        assert.equal(rig.deploys[0].SPREADSHEET_ID, SPREADSHEET_ID);
        assert.equal(rig.deploys[0].SYNC_TOKEN, syncToken);
        const out = result.stdout;
        assert.match(
          out,
          new RegExp(`shared with the service account ${rig.account.clientEmail}: the spreadsheet`),
        );
        assert.match(out, /\(«Клиника — сделки»\)/);
        assert.match(out, /Rows: 3 \(2 valid, 1 with problems/, "check ran");
        assert.match(out, /Лист «Сделки» подготовлен/, "setup ran");
        assert.equal(rig.google.values(SPREADSHEET_ID, `'${TAB}'!F1`)[0]?.[0], "Calltouch");
        assert.match(out, /3 rows: would create 2, update 0; unchanged 0; with problems 1/);
        const url = /Deployed: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
        assert.ok(url, out);
        assert.match(out, new RegExp(`Control panel: ${url}/\\n`));
        assert.match(out, /Панель управления: http:\/\/127\.0\.0\.1:\d+\//);
        assert.match(out, /✅ создана/);
        // The marks as the troubleshooting table explains them (one source).
        assert.match(out, /❌ Calltouch не принял сделку/);
        assert.match(out, /⏳ Calltouch не ответил/);
        assert.match(out, /→ ничего: Calltouch принял сделку/);
        assert.match(out, /Меню «Calltouch» в таблице/);
        assert.match(out, /каждые 5 минут/);
        assert.match(out, /This run: created the KV namespace/);
        // The panel answers with the password init made.
        const panel = await fetch(`${url}/`, {
          headers: { authorization: `Basic ${btoa(`clinic:${syncToken}`)}` },
        });
        assert.equal(panel.status, 200);
        await panel.body?.cancel();
      },
    );

    await t.step(
      "second run, no answers but the key file: no creating or putting call",
      async () => {
        const before = await rig.toml();
        const calls = (await rig.readAccount()).calls.length;
        const result = await rig.run(["--google-key-file", rig.keyFile], { SYNC_TOKEN: syncToken });
        assert.equal(result.code, 0, result.explain);
        const account = await rig.readAccount();
        assert.deepEqual(commands({ ...account, calls: account.calls.slice(calls) }), [
          "whoami --json",
          "kv namespace list",
          "secret list --format",
          "deploy",
        ]);
        assert.equal(await rig.toml(), before, "wrangler.toml is unchanged, byte for byte");
        assert.equal(account.namespaces.length, 1);
        assert.match(result.stdout, /This run changed nothing/);
        assert.match(result.stdout, /3 rows: would create 2/, "the dry run with the given token");
        assert.ok(!result.stdout.includes(syncToken), "a known token is not printed again");
      },
    );

    await t.step("a secret deleted in Cloudflare: the next run puts that one only", async () => {
      const account = await rig.readAccount();
      delete account.secrets.CALLTOUCH_TOKEN;
      const calls = account.calls.length;
      await rig.writeAccount(account);
      const result = await rig.run(
        ["--google-key-file", rig.keyFile, "--calltouch-key-file", rig.calltouchKeyFile],
      );
      assert.equal(result.code, 0, result.explain);
      const after = await rig.readAccount();
      const made = commands({ ...after, calls: after.calls.slice(calls) })
        .filter((c) => /create|put/.test(c));
      assert.deepEqual(made, ["secret put CALLTOUCH_TOKEN"]);
      assert.equal(after.secrets.CALLTOUCH_TOKEN, CALLTOUCH_KEY);
      assert.equal(after.secrets.SYNC_TOKEN, syncToken, "SYNC_TOKEN is kept");
      // Without the token, the dry run is skipped, and init says how to give it.
      assert.match(result.stdout, /Skipped: SYNC_TOKEN was set by an earlier run/);
    });
  } finally {
    await rig.close();
  }
});

Deno.test("init: a sheet not shared yet is waited for, then the run goes on", async () => {
  const rig = await startRig({ shared: false });
  try {
    rig.onSleep((n) => {
      if (n === 3) rig.google.share(SPREADSHEET_ID, rig.account.clientEmail);
    });
    const result = await rig.run(firstRunArgs(rig));
    assert.equal(result.code, 0, result.explain);
    assert.equal(rig.sleeps(), 3, "three waits of 5 s, then it answered");
    assert.match(
      result.stdout,
      /Share the spreadsheet with the service account as an Editor:\n +sync-bot@clinic-demo\.iam/,
    );
    assert.match(result.stdout, /waiting \(up to 1 min, every 5 s\): .*sync-bot@clinic-demo/);
    assert.match(result.stdout, /\(«Клиника — сделки», shared now\)/);
    assert.ok(commands(await rig.readAccount()).includes("deploy"));
  } finally {
    await rig.close();
  }
});

Deno.test("init: a sheet never shared stops after the wait, before deploying", async () => {
  const rig = await startRig({ shared: false });
  try {
    // The answers from a file this time (paths relative to it).
    const answers = join(rig.dir, "clinic.json");
    await Deno.writeTextFile(
      answers,
      JSON.stringify({
        spreadsheet: SHEET_URL,
        tab: TAB,
        calltouchSiteId: "12345",
        googleKeyFile: "clinic-sync-4f2a.json",
        calltouchKeyFile: "calltouch-key.txt",
        waitMinutes: 1,
      }),
    );
    const result = await rig.run(["--answers", answers]);
    assert.equal(result.code, 1, result.explain);
    assert.equal(rig.sleeps(), 12, "a minute of 5-second waits, bounded");
    assert.match(result.stderr, /did not answer within 1 minute\(s\): .*sync-bot@clinic-demo/);
    assert.match(result.stderr, /Share it, then run deno task init again/);
    assert.ok(!commands(await rig.readAccount()).includes("deploy"));
  } finally {
    await rig.close();
  }
});

Deno.test("init at a terminal: asks what it does not know, the key without echo; then only the key file", async () => {
  const rig = await startRig();
  try {
    const asked: { question: string; secret: boolean }[] = [];
    const replies: [RegExp, string][] = [
      [/^Several clinics/, "n"],
      [/^The Google spreadsheet's address/, SHEET_URL],
      [/^The tab holding the deals/, TAB],
      // The address of the project's page in Calltouch will do.
      [/^The Calltouch project id/, "https://my.calltouch.ru/accounts/777/sites/12345/reports"],
      [/^The service account's JSON key file/, "clinic-sync-4f2a.json"],
      [/^The Calltouch API key for CALLTOUCH_TOKEN/, CALLTOUCH_KEY],
      [/^SYNC_TOKEN, for the dry run/, ""],
    ];
    const ask: Ask = (question, options = {}) => {
      asked.push({ question, secret: options.secret === true });
      return Promise.resolve(replies.find(([pattern]) => pattern.test(question))?.[1]);
    };
    const first = await rig.run([], {}, ask);
    assert.equal(first.code, 0, first.explain);
    assert.deepEqual(
      asked.map((a) => `${a.secret ? "secret: " : ""}${a.question.split(" (")[0]}`),
      [
        "Several clinics or branches in this Worker",
        "The Google spreadsheet's address",
        "The tab holding the deals",
        "The Calltouch project id",
        "The service account's JSON key file",
        "secret: The Calltouch API key for CALLTOUCH_TOKEN",
      ],
    );
    const account = await rig.readAccount();
    assert.equal(account.secrets.CALLTOUCH_TOKEN, CALLTOUCH_KEY);
    assert.equal(tableStrings(await rig.toml(), "vars").CALLTOUCH_SITE_ID, "12345");
    assertNoSecrets(rig, [first.stdout, first.stderr], "init's output");

    asked.length = 0;
    const second = await rig.run([], {}, ask);
    assert.equal(second.code, 0, second.explain);
    assert.deepEqual(asked.map((a) => a.question.split(" (")[0]), [
      "The service account's JSON key file",
      "SYNC_TOKEN, for the dry run through the Worker",
    ]);
    assert.equal(asked[1].secret, true);
    assert.match(second.stdout, /Skipped: SYNC_TOKEN was set by an earlier run/);
  } finally {
    await rig.close();
  }
});

/** Runs init against `account`: it must stop after `whoami`, with `code` and these words. */
async function stopsAtLogin(account: FakeAccount, code: number, ...said: RegExp[]) {
  const rig = await startRig();
  try {
    await rig.writeAccount(account);
    const result = await rig.run(firstRunArgs(rig));
    assert.equal(result.code, code, result.explain);
    for (const words of said) assert.match(result.stderr, words);
    assert.deepEqual(commands(await rig.readAccount()), ["whoami --json"]);
  } finally {
    await rig.close();
  }
}

Deno.test("init: not logged in to Cloudflare stops before creating anything", async () => {
  await stopsAtLogin(
    { ...freshAccount(), loggedIn: false },
    1,
    /Not logged in to Cloudflare: run `deno task wrangler login`/,
  );
});

Deno.test("init: a login with several accounts and none named stops, listing them", async () => {
  const two = freshAccount();
  two.accounts.push({ id: "fedcba9876543210fedcba9876543210", name: "Clinic's own" });
  await stopsAtLogin(
    two,
    2,
    /several Cloudflare accounts; name one with --account-id:/,
    /2\. Clinic's own \(fedcba9876543210fedcba9876543210\)/,
  );
});

Deno.test("init: missing answers without a terminal are listed at once; nothing is called", async () => {
  const rig = await startRig();
  try {
    const result = await rig.run([], { GOOGLE_SERVICE_ACCOUNT_FILE: "" });
    assert.equal(result.code, 2, result.explain);
    assert.match(result.stderr, /Missing answers/);
    for (const flag of ["--spreadsheet", "--site-id", "--google-key-file"]) {
      assert.match(result.stderr, new RegExp(`- ${flag}: `));
    }
    assert.deepEqual((await rig.readAccount()).calls, []);
  } finally {
    await rig.close();
  }
});

Deno.test("init --several: the queues, a target in TARGETS, its own key; a second clinic adds only its own", async (t) => {
  const rig = await startRig();
  try {
    await t.step("first clinic: queues created, blocks uncommented, TARGETS written", async () => {
      // A login with two accounts: the one named is written into wrangler.toml.
      const two = freshAccount();
      two.accounts.push({ id: "fedcba9876543210fedcba9876543210", name: "Clinic's own" });
      await rig.writeAccount(two);
      const result = await rig.run([
        ...firstRunArgs(rig),
        "--several",
        "--target-id",
        "filial-1",
        "--account-id",
        "fedcba9876543210fedcba9876543210",
      ]);
      assert.equal(result.code, 0, result.explain);
      const account = await rig.readAccount();
      assert.deepEqual(commands(account), [
        ...FIRST_CALLS,
        "queues info calltouch-sync",
        "queues create calltouch-sync",
        "queues info calltouch-sync-dead",
        "queues create calltouch-sync-dead",
        "secret list --format",
        "secret put GOOGLE_SERVICE_ACCOUNT",
        "secret put CALLTOUCH_TOKEN_FILIAL_1",
        "secret put SYNC_TOKEN",
        "secret put STATE_KEY",
        "deploy",
      ]);
      const toml = await rig.toml();
      assert.equal(tableStrings(toml, "").account_id, "fedcba9876543210fedcba9876543210");
      assert.deepEqual(producerQueues(toml), ["calltouch-sync"]);
      assert.match(toml, /^dead_letter_queue = "calltouch-sync-dead"$/m);
      assert.deepEqual(JSON.parse(tableStrings(toml, "vars").TARGETS), [{
        id: "filial-1",
        spreadsheet: SPREADSHEET_ID,
        calltouchSiteId: "12345",
        calltouchTokenSecret: "CALLTOUCH_TOKEN_FILIAL_1",
        tab: TAB,
      }]);
      assert.equal(tableStrings(toml, "vars").SPREADSHEET_ID, "", "the single settings stay empty");
      assert.match(result.stdout, /3 rows: would create 2/);
      assert.match(result.stdout, /Control panel: http:\/\/127\.0\.0\.1:\d+\/\?target=filial-1\n/);
    });

    await t.step("second clinic: its secret and its target, nothing else", async () => {
      const second = "2SecondClinic_abcdefghijklmnopqrstuvwxyz01234";
      rig.google.createSpreadsheet({
        spreadsheetId: second,
        sheets: [{
          title: "Лист1",
          values: [["ID", "Дата", "Статус"], ["7", "01.12.2026", "Визит"]],
        }],
        sharedWith: [rig.account.clientEmail],
      });
      const calls = (await rig.readAccount()).calls.length;
      const syncToken = (await rig.readAccount()).secrets.SYNC_TOKEN;
      const result = await rig.run([
        "--several",
        "--target-id",
        "dental",
        "--spreadsheet",
        second,
        "--site-id",
        "24680",
        "--google-key-file",
        rig.keyFile,
        "--calltouch-key-file",
        rig.calltouchKeyFile,
      ], { SYNC_TOKEN: syncToken });
      assert.equal(result.code, 0, result.explain);
      const account = await rig.readAccount();
      const made = commands({ ...account, calls: account.calls.slice(calls) })
        .filter((c) => /create|put/.test(c));
      assert.deepEqual(made, ["secret put CALLTOUCH_TOKEN_DENTAL"]);
      const targets = JSON.parse(tableStrings(await rig.toml(), "vars").TARGETS);
      assert.deepEqual(targets.map((t: { id: string }) => t.id), ["filial-1", "dental"]);
      assert.equal(targets[1].tab, undefined, "no tab: the first tab");
      assert.match(result.stdout, /1 rows: would create 1/);
      assert.match(result.stdout, /\?target=dental/);
    });
  } finally {
    await rig.close();
  }
});

/** The lines that differ between two texts of the same line count, as [before, after]. */
function diffLines(before: string, after: string): [string, string][] {
  const a = before.split("\n");
  const b = after.split("\n");
  assert.equal(a.length, b.length, "the same number of lines");
  return a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]] as [string, string]]));
}
