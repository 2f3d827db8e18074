/**
 * describeHeader(): the header mapping `check` shows, by the sync's own rules; describeQuota():
 * how several targets fit Google's read quotas at the deployment's cron.
 */
import assert from "node:assert/strict";
import {
  DEFAULT_CRON,
  deploymentCron,
  describeHeader,
  describeQuota,
} from "../../src/cli/check.ts";
import { quotaFit } from "../../src/schedule.ts";

Deno.test("describeHeader() names each column's field, duplicates and ignored columns", () => {
  assert.deepEqual(
    describeHeader([
      " id сделки ",
      "",
      "Дата",
      "ДАТА СДЕЛКИ",
      "Заметки",
      "Статус",
      "Синхронизация",
    ]),
    {
      columns: [
        { column: "A", header: "id сделки", field: "orderNumber" },
        { column: "C", header: "Дата", field: "orderDate" },
        { column: "D", header: "ДАТА СДЕЛКИ", field: "orderDate", duplicateOf: "C" },
        { column: "E", header: "Заметки" },
        { column: "F", header: "Статус", field: "status" },
        { column: "G", header: "Синхронизация", field: "syncStatus" },
      ],
      missing: [],
    },
  );
});

Deno.test("describeHeader() lists missing required fields and masks contacts in row 1", () => {
  // A sheet whose first row is a deal, not a header: nothing recognised, nothing leaked.
  const header = describeHeader([1001, "20.11.2026", "+7 915 777-11-22", "anna@example.ru"]);
  assert.deepEqual(header.missing, ["orderNumber", "orderDate", "status"]);
  assert.deepEqual(header.columns.map((c) => c.header), [
    "1001",
    "20.11.2026",
    "7915***1122",
    "a***@example.ru",
  ]);
});

Deno.test("describeQuota() says how many targets a tick serves and what would serve them all", () => {
  const targets = Array.from({ length: 500 }, (_, i) => ({
    id: `t${i}`,
    account: "sync@clinics.iam.gserviceaccount.com",
  }));
  const lines = describeQuota(
    quotaFit(targets, "*/5 * * * *", Date.UTC(2026, 10, 28, 12)),
    "toml",
    "en",
  );
  assert.match(
    lines[1],
    /at \*\/5 \* \* \* \* \(wrangler.toml\) one tick serves 75 of 500 targets/,
  );
  assert.match(lines[1], /each target runs every 35 min/);
  assert.match(lines[2], /sync@clinics\.iam\.gserviceaccount\.com: 500 target\(s\), 75 a tick/);
  assert.match(
    lines[3],
    /crons = \["0 \* \* \* \*"\] in wrangler.toml, or 7 service accounts .* in 2 Cloud project/,
  );
});

Deno.test("deploymentCron() reads wrangler.toml's crons, else the default", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.deepEqual(await deploymentCron(dir), {
      cron: DEFAULT_CRON,
      from: "noToml",
    });
    await Deno.writeTextFile(`${dir}/wrangler.toml`, '[triggers]\ncrons = ["*/10 * * * *"]\n');
    assert.deepEqual(await deploymentCron(dir), { cron: "*/10 * * * *", from: "toml" });
    // The cron assumed without a wrangler.toml is the one this project's ships.
    const shipped = await deploymentCron(new URL("../..", import.meta.url).pathname);
    assert.deepEqual(shipped, { cron: DEFAULT_CRON, from: "toml" });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
