import assert from "node:assert/strict";
import { DEFAULT_TARGET, loadTargets } from "../src/targets.ts";
import { testServiceAccount } from "./support/service_account.ts";

const SHEET = "1BranchesSheet_abcdefghijklmnopqrstuvwxyz0123";

async function base(): Promise<Record<string, string>> {
  return { GOOGLE_SERVICE_ACCOUNT: (await testServiceAccount()).json, CRM_NAME: "Клиника" };
}

Deno.test("loadTargets(): without TARGETS the settings are the one target", async () => {
  const env = { ...(await base()), SPREADSHEET_ID: SHEET };
  assert.deepEqual(loadTargets(env), { targets: [{ id: DEFAULT_TARGET, env }], problems: [] });
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
  assert.match(loadTargets({ TARGETS: "[]" }).problems[0], /non-empty JSON list/);
});

Deno.test("loadTargets(): a TARGETS list of one target is that target, not an empty list", async () => {
  const env = {
    ...(await base()),
    CALLTOUCH_TOKEN_ONLY: "secret-only",
    TARGETS: JSON.stringify([{
      id: "only",
      spreadsheet: SHEET,
      calltouchSiteId: "333",
      calltouchTokenSecret: "CALLTOUCH_TOKEN_ONLY",
    }]),
  };
  const { targets, problems } = loadTargets(env);
  assert.deepEqual(problems, []);
  assert.deepEqual(targets.map((t) => [t.id, t.env.CALLTOUCH_SITE_ID, t.env.CALLTOUCH_TOKEN]), [
    ["only", "333", "secret-only"],
  ]);
});
