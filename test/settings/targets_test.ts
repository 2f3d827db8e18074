import assert from "node:assert/strict";
import { ConfigError } from "../../src/settings/config.ts";
import { DEFAULT_TARGET, loadTargets, targetKeys } from "../../src/settings/targets.ts";
import { testServiceAccount } from "../support/service_account.ts";

const SHEET = "1BranchesSheet_abcdefghijklmnopqrstuvwxyz0123";

/** A target of the test sheet: its id, Calltouch project and the secret of its key. */
function target(id: string, calltouchSiteId: string, calltouchTokenSecret: string) {
  return { id, spreadsheet: SHEET, calltouchSiteId, calltouchTokenSecret };
}

async function base(): Promise<Record<string, string>> {
  return { GOOGLE_SERVICE_ACCOUNT: (await testServiceAccount()).json, CRM_NAME: "Клиника" };
}

Deno.test("loadTargets(): without TARGETS the settings are the one target", async () => {
  const env = { ...(await base()), SPREADSHEET_ID: SHEET };
  const { targets, problems } = loadTargets(env);
  assert.deepEqual(problems, []);
  assert.deepEqual(targets.map((t) => [t.id, t.env]), [[DEFAULT_TARGET, env]]);
  // Read once, with the settings' problems for its runs to report (no Calltouch settings here).
  assert.ok(targets[0].config instanceof ConfigError);
  assert.match(targets[0].config.message, /CALLTOUCH_SITE_ID is missing/);
  const valid = { ...env, CALLTOUCH_SITE_ID: "12345", CALLTOUCH_TOKEN: "t" };
  const [one] = loadTargets(valid).targets;
  assert.ok(!(one.config instanceof ConfigError));
  assert.equal(one.config.calltouch.crm, "Клиника");
});

Deno.test("loadTargets(): each target as the settings it stands for, overrides included", async () => {
  const env = {
    ...(await base()),
    SHEET_NAME: "ignored",
    CALLTOUCH_TOKEN_F1: "secret-1",
    CALLTOUCH_STATS_F1: "stats-1",
    CALLTOUCH_TOKEN_F2: "secret-2",
    TARGETS: JSON.stringify([
      {
        id: "f1",
        spreadsheet: `https://docs.google.com/spreadsheets/d/${SHEET}/edit`,
        tab: "Филиал 1",
        calltouchSiteId: "111",
        calltouchTokenSecret: "CALLTOUCH_TOKEN_F1",
        calltouchStatsTokenSecret: "CALLTOUCH_STATS_F1",
        CUSTOM_SOURCE: "филиал-1",
      },
      target("f2", "222", "CALLTOUCH_TOKEN_F2"),
    ]),
  };
  const { targets, problems } = loadTargets(env);
  assert.deepEqual(problems, []);
  assert.deepEqual(targets.map((t) => t.id), ["f1", "f2"]);
  const [f1, f2] = targets;
  assert.equal(f1.env.SHEET_NAME, "Филиал 1");
  assert.equal(f1.env.CALLTOUCH_TOKEN, "secret-1");
  assert.equal(f1.env.CALLTOUCH_STATS_TOKEN, "stats-1");
  assert.equal(f1.env.CUSTOM_SOURCE, "филиал-1");
  assert.equal(f1.env.CRM_NAME, "Клиника", "the rest is the deployment's");
  assert.equal(f2.env.SHEET_NAME, undefined, "no tab: the first tab, not the global SHEET_NAME");
  assert.equal(f2.env.CALLTOUCH_TOKEN, "secret-2");
  assert.equal(f2.env.CUSTOM_SOURCE, undefined);
  // Each target's settings are read once, here: the runs of a tick take them as they are.
  assert.ok(!(f1.config instanceof ConfigError) && !(f2.config instanceof ConfigError));
  assert.equal(f1.config.calltouch.customSource.source, "филиал-1");
  assert.equal(f2.config.calltouch.siteId, "222");
  // Messages name what a target sets itself by its field (or the secret it names); the rest
  // by the deployment's setting.
  assert.deepEqual(f1.config.origin, {
    target: "f1",
    names: {
      SPREADSHEET_ID: 'spreadsheet (TARGETS "f1")',
      SHEET_NAME: 'tab (TARGETS "f1")',
      CALLTOUCH_SITE_ID: 'calltouchSiteId (TARGETS "f1")',
      CALLTOUCH_TOKEN: "CALLTOUCH_TOKEN_F1",
      CALLTOUCH_STATS_TOKEN: "CALLTOUCH_STATS_F1",
      CUSTOM_SOURCE: 'CUSTOM_SOURCE (TARGETS "f1")',
    },
  });
  assert.deepEqual(f2.config.origin, {
    target: "f2",
    names: {
      SPREADSHEET_ID: 'spreadsheet (TARGETS "f2")',
      CALLTOUCH_SITE_ID: 'calltouchSiteId (TARGETS "f2")',
      CALLTOUCH_TOKEN: "CALLTOUCH_TOKEN_F2",
    },
  });
});

Deno.test("loadTargets(): every problem in one list, each naming its target; good ones still run", async () => {
  const env = {
    ...(await base()),
    CALLTOUCH_TOKEN_OK: "s3cr3t-value",
    TARGETS: JSON.stringify([
      target("ok", "1", "CALLTOUCH_TOKEN_OK"),
      target("ok", "2", "CALLTOUCH_TOKEN_OK"),
      target("nosecret", "3", "MISSING_ONE"),
      target("same", "1", "CALLTOUCH_TOKEN_OK"),
      { id: "bad site", spreadsheet: "x", calltouchSiteId: "abc", GOOGLE_SERVICE_ACCOUNT: "{}" },
      target("bad name", "4", "calltouch token"),
    ]),
  };
  const { targets, problems } = loadTargets(env);
  assert.deepEqual(targets.map((t) => t.id), ["ok"]);
  const text = problems.join("\n");
  assert.match(text, /TARGETS "ok": the id is used twice/);
  assert.match(text, /TARGETS "nosecret": the secret MISSING_ONE .* is not set/);
  assert.match(text, /TARGETS "same": the same tab and Calltouch project as "ok"/);
  assert.match(text, /TARGETS "bad site": id must be/);
  assert.match(text, /TARGETS "bad site": calltouchTokenSecret is missing/);
  assert.match(text, /TARGETS "bad site": unknown field "GOOGLE_SERVICE_ACCOUNT"/);
  assert.match(text, /TARGETS "bad site": CALLTOUCH_SITE_ID/);
  assert.ok(
    problems.includes(
      'TARGETS "bad name": calltouchTokenSecret must name a secret, e.g. "CALLTOUCH_TOKEN_FILIAL2"',
    ),
    text,
  );
  assert.ok(!text.includes("s3cr3t-value"), "no secret's value");
});

Deno.test("loadTargets(): TARGETS that is not a list of targets", () => {
  assert.match(loadTargets({ TARGETS: "[{" }).problems[0], /not valid JSON/);
  assert.match(loadTargets({ TARGETS: "{}" }).problems[0], /non-empty JSON list/);
  assert.deepEqual(loadTargets({ TARGETS: "[]" }).targets, []);
  assert.match(loadTargets({ TARGETS: "[]" }).problems[0], /non-empty JSON list/);
});
Deno.test("loadTargets(): a TARGETS list of one target is that target, not an empty list", async () => {
  const env = {
    ...(await base()),
    CALLTOUCH_TOKEN_ONLY: "secret-only",
    TARGETS: JSON.stringify([target("only", "333", "CALLTOUCH_TOKEN_ONLY")]),
  };
  const { targets, problems } = loadTargets(env);
  assert.deepEqual(problems, []);
  assert.deepEqual(targets.map((t) => [t.id, t.env.CALLTOUCH_SITE_ID, t.env.CALLTOUCH_TOKEN]), [
    ["only", "333", "secret-only"],
  ]);
});

/** A target of `SHEET` with its Calltouch key set, plus `extra` fields. */
function keyed(id: string, site: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    spreadsheet: SHEET,
    tab: id,
    calltouchSiteId: site,
    calltouchTokenSecret: "CALLTOUCH_TOKEN_ALL",
    ...extra,
  };
}

/** {@linkcode keyed} targets on projects 1, 2, 3…, each naming the `syncTokenSecret` of its id. */
function withKeys(secrets: Record<string, unknown>) {
  return Object.entries(secrets).map(([id, secret], i) =>
    keyed(id, String(i + 1), { syncTokenSecret: secret })
  );
}

const ADMIN = "admin-key-0123456789abcdef";

Deno.test("loadTargets(): syncTokenSecret is a target's field; a malformed one is a problem", async () => {
  const env = {
    ...(await base()),
    CALLTOUCH_TOKEN_ALL: "ct-secret",
    TARGETS: JSON.stringify(withKeys({ a: "SYNC_TOKEN_A", b: "lower-case", c: 42 })),
  };
  const { targets, problems } = loadTargets(env);
  assert.deepEqual(targets.map((t) => t.id), ["a"], "its secret's value is not the run's concern");
  assert.deepEqual(problems, [
    'TARGETS "b": syncTokenSecret must name a secret, e.g. "SYNC_TOKEN_FILIAL2"',
    'TARGETS "c": syncTokenSecret must name a secret, e.g. "SYNC_TOKEN_FILIAL2"',
  ]);
});

Deno.test("targetKeys(): each target's key from the secret it names; targets without one have none", () => {
  const env = {
    SYNC_TOKEN: ADMIN,
    SYNC_TOKEN_A: " key-of-clinic-a-0123456789 ",
    SYNC_TOKEN_BRANCHES: "key-of-the-branches-0123456789",
    TARGETS: JSON.stringify([
      ...withKeys({ a: "SYNC_TOKEN_A", b1: "SYNC_TOKEN_BRANCHES", b2: "SYNC_TOKEN_BRANCHES" }),
      keyed("nokey", "4"),
      // Left out of the runs (no Calltouch key): its own key still opens its panel.
      { id: "broken", spreadsheet: SHEET, syncTokenSecret: "SYNC_TOKEN_A" },
    ]),
  };
  assert.deepEqual(targetKeys(env), {
    keys: [
      { id: "a", secret: "SYNC_TOKEN_A", key: "key-of-clinic-a-0123456789" },
      { id: "b1", secret: "SYNC_TOKEN_BRANCHES", key: "key-of-the-branches-0123456789" },
      { id: "b2", secret: "SYNC_TOKEN_BRANCHES", key: "key-of-the-branches-0123456789" },
      { id: "broken", secret: "SYNC_TOKEN_A", key: "key-of-clinic-a-0123456789" },
    ],
    problems: [],
  });
  assert.deepEqual(targetKeys({ SYNC_TOKEN: ADMIN }), { keys: [], problems: [] }, "one target");
  assert.deepEqual(targetKeys({ TARGETS: "[{" }), { keys: [], problems: [] });
});

Deno.test("targetKeys(): a key that cannot be used is named, never shown, and opens nothing", () => {
  const env = {
    SYNC_TOKEN: ADMIN,
    SHORT: "short-key",
    SPACED: "a key with spaces in it, long enough",
    ADMIN_AGAIN: ADMIN,
    TWIN_1: "twin-key-0123456789abcdef",
    TWIN_2: "twin-key-0123456789abcdef",
    FINE: "fine-key-0123456789abcdef",
    TARGETS: JSON.stringify(withKeys({
      unset: "NOT_SET",
      short: "SHORT",
      spaced: "SPACED",
      admin: "ADMIN_AGAIN",
      twin1: "TWIN_1",
      twin2: "TWIN_2",
      fine: "FINE",
    })),
  };
  const { keys, problems } = targetKeys(env);
  assert.deepEqual(keys.map((k) => k.id), ["fine"]);
  assert.deepEqual(problems, [
    'TARGETS "unset": the secret NOT_SET (syncTokenSecret) is not set: deno task wrangler ' +
    "secret put NOT_SET (until then only SYNC_TOKEN opens this target)",
    'TARGETS "short": the secret SHORT (syncTokenSecret) is too short: use at least 16 characters',
    'TARGETS "spaced": the secret SPACED (syncTokenSecret) may hold only letters, digits and ' +
    "- . _ ~ + /: generate one with `openssl rand -hex 24`",
    'TARGETS "admin": the secret ADMIN_AGAIN (syncTokenSecret) holds SYNC_TOKEN, the admin key: ' +
    "give the clinic a key of its own",
    'TARGETS "twin1": the secret TWIN_1 (syncTokenSecret) holds the same key as TWIN_2: one key ' +
    "would open several clinics; give each its own, or name the same secret in targets that " +
    "share a key",
    'TARGETS "twin2": the secret TWIN_2 (syncTokenSecret) holds the same key as TWIN_1: one key ' +
    "would open several clinics; give each its own, or name the same secret in targets that " +
    "share a key",
  ]);
  const text = problems.join("\n");
  for (const value of [ADMIN, "short-key", "twin-key-0123456789abcdef", "fine-key"]) {
    assert.ok(!text.includes(value), "no secret's value");
  }
});

Deno.test("loadTargets(): googleServiceAccountSecret gives a target a service account (and a Google quota) of its own", async () => {
  const own = (await testServiceAccount()).json.replace(
    "sync-bot@clinic-demo.iam.gserviceaccount.com",
    "sync-2@other-project.iam.gserviceaccount.com",
  );
  const env = {
    ...(await base()),
    CALLTOUCH_TOKEN_ALL: "t",
    GOOGLE_SA_2: own,
    TARGETS: JSON.stringify([
      keyed("a", "111"),
      keyed("b", "111", { googleServiceAccountSecret: "GOOGLE_SA_2" }),
      keyed("c", "111", { googleServiceAccountSecret: "GOOGLE_SA_MISSING" }),
    ]),
  };
  const { targets, problems } = loadTargets(env);
  const email = (id: string) => {
    const config = targets.find((t) => t.id === id)?.config;
    return config instanceof ConfigError ? undefined : config?.google.serviceAccount.clientEmail;
  };
  assert.equal(email("a"), "sync-bot@clinic-demo.iam.gserviceaccount.com", "the deployment's");
  assert.equal(email("b"), "sync-2@other-project.iam.gserviceaccount.com", "its own");
  assert.deepEqual(problems, [
    'TARGETS "c": the secret GOOGLE_SA_MISSING (googleServiceAccountSecret) is not set: deno ' +
    "task wrangler secret put GOOGLE_SA_MISSING",
  ]);
});
