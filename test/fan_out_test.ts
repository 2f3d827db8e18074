import assert from "node:assert/strict";
import { shareOfInvocation } from "../src/fan_out.ts";
import { testServiceAccount } from "./support/service_account.ts";

Deno.test("shareOfInvocation(): targets run in one tick split its request budget", async () => {
  const env = {
    SPREADSHEET_ID: "1BranchesSheet_abcdefghijklmnopqrstuvwxyz0123",
    CALLTOUCH_SITE_ID: "1",
    CALLTOUCH_TOKEN: "t",
    GOOGLE_SERVICE_ACCOUNT: (await testServiceAccount()).json,
  };
  const two = shareOfInvocation(env, 2);
  assert.equal(two.MAX_SUBREQUESTS_PER_RUN, "22", "45 for the tick, 22 each");
  assert.equal(two.SYNC_TIME_BUDGET_SECONDS, "120", "two runs of 120 s fit in 15 minutes");
  const ten = shareOfInvocation({ ...env, MAX_SUBREQUESTS_PER_RUN: "900" }, 10);
  assert.equal(ten.MAX_SUBREQUESTS_PER_RUN, "90");
  assert.equal(ten.SYNC_TIME_BUDGET_SECONDS, "84");
  assert.equal(
    shareOfInvocation(env, 20).MAX_SUBREQUESTS_PER_RUN,
    "8",
    "never below a run's least",
  );
  assert.equal(shareOfInvocation({}, 3).MAX_SUBREQUESTS_PER_RUN, undefined, "bad settings: as is");
});
