import assert from "node:assert/strict";
import { ConfigError } from "../../src/settings/config.ts";
import { DEFAULT_TARGET, loadTargets } from "../../src/settings/targets.ts";
import { testServiceAccount } from "../support/service_account.ts";

const SHEET = "1BranchesSheet_abcdefghijklmnopqrstuvwxyz0123";

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
      {
        id: "f2",
        spreadsheet: SHEET,
        calltouchSiteId: "222",
        calltouchTokenSecret: "CALLTOUCH_TOKEN_F2",
      },
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
});

Deno.test("loadTargets(): every problem in one list, each naming its target; good ones still run", async () => {
  const env = {
    ...(await base()),
    CALLTOUCH_TOKEN_OK: "s3cr3t-value",
    TARGETS: JSON.stringify([
      {
        id: "ok",
        spreadsheet: SHEET,
        calltouchSiteId: "1",
        calltouchTokenSecret: "CALLTOUCH_TOKEN_OK",
      },
      {
        id: "ok",
        spreadsheet: SHEET,
        calltouchSiteId: "2",
        calltouchTokenSecret: "CALLTOUCH_TOKEN_OK",
      },
      {
        id: "nosecret",
        spreadsheet: SHEET,
        calltouchSiteId: "3",
        calltouchTokenSecret: "MISSING_ONE",
      },
      {
        id: "same",
        spreadsheet: SHEET,
        calltouchSiteId: "1",
        calltouchTokenSecret: "CALLTOUCH_TOKEN_OK",
      },
      { id: "bad site", spreadsheet: "x", calltouchSiteId: "abc", GOOGLE_SERVICE_ACCOUNT: "{}" },
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
  assert.ok(!text.includes("s3cr3t-value"), "no secret's value");
});

Deno.test("loadTargets(): TARGETS that is not a list of targets", () => {
  assert.match(loadTargets({ TARGETS: "[{" }).problems[0], /not valid JSON/);
  assert.match(loadTargets({ TARGETS: "{}" }).problems[0], /non-empty JSON list/);
  assert.deepEqual(loadTargets({ TARGETS: "[]" }).targets, []);
});
