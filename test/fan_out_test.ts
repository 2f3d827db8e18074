import assert from "node:assert/strict";
import { shareOfInvocation } from "../src/fan_out.ts";
import { type Config, ConfigError, loadConfig } from "../src/settings/config.ts";
import { testServiceAccount } from "./support/service_account.ts";

Deno.test("shareOfInvocation(): targets run in one tick split its request budget", async () => {
  const env = {
    SPREADSHEET_ID: "1BranchesSheet_abcdefghijklmnopqrstuvwxyz0123",
    CALLTOUCH_SITE_ID: "1",
    CALLTOUCH_TOKEN: "t",
    GOOGLE_SERVICE_ACCOUNT: (await testServiceAccount()).json,
  };
  const two = shareOfInvocation(loadConfig(env), 2) as Config;
  assert.equal(two.maxSubrequests, 22, "45 for the tick, 22 each");
  assert.equal(two.timeBudgetMs, 120_000, "two runs of 120 s fit in 15 minutes");
  const ten = shareOfInvocation(loadConfig({ ...env, MAX_SUBREQUESTS_PER_RUN: "900" }), 10);
  assert.equal((ten as Config).maxSubrequests, 90);
  assert.equal((ten as Config).timeBudgetMs, 84_000);
  assert.equal(
    (shareOfInvocation(loadConfig(env), 20) as Config).maxSubrequests,
    8,
    "never below a run's least",
  );
  const bad = new ConfigError(["SPREADSHEET_ID is missing"]);
  assert.equal(shareOfInvocation(bad, 3), bad, "bad settings: as is");
});
