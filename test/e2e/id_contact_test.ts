/**
 * A phone or an e-mail typed into the ID column, in the real Worker: a row problem with its `❌`,
 * never sent to Calltouch, never in KV (keys and values), the run report, the dry run or the
 * control panel. Over the state of 82b7e55 (which sent and stored such an ID as it was), the
 * upgrade removes it from KV.
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/deal.ts";
import { type Rig, startRig, SYNC_TOKEN } from "../support/e2e.ts";
import { olderBuild } from "../support/worker.ts";

const PREVIOUS = "82b7e55";
const ROWS: CellValue[][] = [
  ["ID сделки", "Дата сделки", "Статус", "Телефон", "Email"],
  ["C1", "20.11.2026 10:30", "Записан", "8 (915) 777-11-22", ""],
  ["8 (916) 444-55-66", "20.11.2026 11:00", "Записан", "", ""],
  ["petrova.anna@mail.ru", "20.11.2026 12:00", "Пришёл", "", ""],
  [79037778899, "20.11.2026 13:00", "Оплачено", "", ""],
];

/** What must appear nowhere: each contact, as typed and normalised, and its mask. */
const CONTACTS = [
  "444-55-66",
  "9164445566",
  "4445566",
  "7916***5566",
  "petrova",
  "mail.ru",
  "79037778899",
  "7903***8899",
];

function assertNoContact(where: string, text: string) {
  for (const contact of CONTACTS) assert.ok(!text.includes(contact), `${where}: ${contact}`);
}

async function everywhere(rig: Rig): Promise<string> {
  const dump = await rig.kvDump();
  const panel = await rig.worker.fetch("/", {
    headers: { authorization: `Basic ${btoa(`clinic:${SYNC_TOKEN}`)}` },
  });
  assert.equal(panel.status, 200);
  return [...dump.keys(), ...dump.values(), await panel.text()].join("\n");
}

Deno.test("a phone or an e-mail in the ID column is a row problem, never sent, stored or shown", async () => {
  const rig = await startRig({ rows: ROWS });
  try {
    const dry = await rig.sync({ dryRun: true });
    assert.equal(dry.body.counts.invalid, 3);
    assertNoContact("dry run", JSON.stringify(dry.body));

    const run = await rig.sync();
    assert.equal(run.body.counts.created, 1, JSON.stringify(run.body.error));
    assert.equal(run.body.counts.invalid, 3);
    assertNoContact("run report", JSON.stringify(run.body));
    assertNoContact("Calltouch", JSON.stringify(rig.calltouch.requests.map((r) => r.body)));
    const statuses = rig.cells().slice(2).map((row) => String(row.at(-1)));
    assert.equal(statuses.length, 3);
    for (const status of statuses) assert.match(status, /^❌ A\d \(ID сделки\): в ID сделки /);
    assertNoContact("status cells", statuses.join("\n"));
    assertNoContact("KV and the panel", await everywhere(rig));
  } finally {
    await rig.close();
  }
});

Deno.test("the upgrade over 82b7e55's state removes the contacts it kept as IDs", async () => {
  const rig = await startRig({
    rows: ROWS,
    worker: { script: await olderBuild(PREVIOUS), build: PREVIOUS },
  });
  try {
    const old = await rig.sync();
    assert.equal(old.body.counts.created, 4, "the previous build sent them as IDs");
    const before = await rig.kvDump();
    assert.ok([...before.values()].join().includes("79037778899"), "and kept them in KV");

    await rig.restart({}, { build: "next" });
    const upgraded = await rig.sync();
    assert.equal(upgraded.body.ok, true, JSON.stringify(upgraded.body.error));
    assert.equal(upgraded.body.requests.calltouch, 0, "nothing sent");
    assert.equal(upgraded.body.counts.invalid, 3);
    assertNoContact("run report", JSON.stringify(upgraded.body));
    assertNoContact("KV and the panel", await everywhere(rig));
  } finally {
    await rig.close();
  }
});
