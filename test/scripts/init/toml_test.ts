/** The surgical wrangler.toml edits of `deno task init`: what changes, and that nothing else does. */
import assert from "node:assert/strict";
import {
  enableQueues,
  kvNamespaceId,
  producerQueues,
  queueBlocks,
  setKvNamespaceId,
  setValue,
  tableStrings,
  tomlMultiline,
  tomlString,
} from "../../../scripts/init/toml.ts";

const SHIPPED = await Deno.readTextFile(new URL("../../../wrangler.toml", import.meta.url));

function changedLines(before: string, after: string): string[] {
  const old = new Set(before.split("\n"));
  return after.split("\n").filter((line) => !old.has(line));
}

Deno.test("tableStrings() reads every string of a table, multi-line ones and escapes included", () => {
  const toml = [
    'name = "clinic" # the worker',
    "[vars]",
    'A = "x \\"quoted\\" \\u00e9\\n"',
    "B = 'C:\\path' # literal",
    'TARGETS = """[',
    '  {"id": "a"}',
    ']"""',
    "L = '''",
    "two",
    "lines'''",
    "N = 5",
    "[triggers]",
    'crons = ["*/5 * * * *"]',
  ].join("\n");
  assert.deepEqual(tableStrings(toml, ""), { name: "clinic" });
  assert.deepEqual(tableStrings(toml, "vars"), {
    A: 'x "quoted" é\n',
    B: "C:\\path",
    TARGETS: '[\n  {"id": "a"}\n]',
    L: "two\nlines",
  });
  assert.deepEqual(tableStrings(toml, "triggers"), {});
});

Deno.test("tableStrings() reads the shipped wrangler.toml's settings", () => {
  const vars = tableStrings(SHIPPED, "vars");
  assert.equal(vars.SPREADSHEET_ID, "");
  assert.equal(vars.CALLTOUCH_SITE_ID, "");
  assert.equal(vars.CUSTOM_SOURCE, undefined, "defaults are documented in comments, not set");
  assert.equal(tableStrings(SHIPPED, "").name, "calltouch-sheet-sync");
});

Deno.test("setValue() replaces a value in place and keeps the comment after it", () => {
  const toml = '[vars]\nSHEET_NAME = "" # the tab\nX = "1"\n';
  assert.equal(
    setValue(toml, "vars", "SHEET_NAME", tomlString("Сделки")),
    '[vars]\nSHEET_NAME = "Сделки" # the tab\nX = "1"\n',
  );
});

Deno.test("setValue() replaces a multi-line value whole", () => {
  const toml = "[vars]\nTARGETS = '''\n[1,\n 2]\n'''\nAFTER = \"x\"\n";
  const next = setValue(toml, "vars", "TARGETS", tomlMultiline("[3]"));
  assert.equal(next, "[vars]\nTARGETS = '''\n[3]'''\nAFTER = \"x\"\n");
  assert.equal(tableStrings(next, "vars").TARGETS, "[3]");
});

Deno.test("setValue() adds a key after the table's last entry, or to the root before any table", () => {
  const toml = 'name = "w"\nmain = "src/worker.ts"\n\n[vars]\nA = "1"\n\n[triggers]\ncrons = []\n';
  assert.equal(
    setValue(toml, "vars", "B", tomlString("2")),
    'name = "w"\nmain = "src/worker.ts"\n\n[vars]\nA = "1"\nB = "2"\n\n[triggers]\ncrons = []\n',
  );
  assert.equal(
    setValue(toml, "", "account_id", tomlString("abc")),
    'name = "w"\nmain = "src/worker.ts"\naccount_id = "abc"\n\n[vars]\nA = "1"\n\n[triggers]\ncrons = []\n',
  );
  assert.equal(setValue("[vars]\n", "vars", "A", '"1"'), '[vars]\nA = "1"\n');
  assert.equal(setValue('a = "1"\n', "vars", "A", '"1"'), 'a = "1"\n\n[vars]\nA = "1"\n');
});

Deno.test("tomlString() escapes what TOML must; tomlMultiline() keeps JSON readable", () => {
  const value = 'a "b" \\ c\nd\te\u0001';
  const toml = `[vars]\nX = ${tomlString(value)}\n`;
  assert.equal(tableStrings(toml, "vars").X, value);
  assert.equal(tomlMultiline('[\n  {"id": "a"}\n]'), `'''\n[\n  {"id": "a"}\n]'''`);
  assert.equal(tomlMultiline("it's '''"), tomlString("it's '''"));
});

Deno.test("kvNamespaceId() and setKvNamespaceId(): the SYNC_STATE block's id, nothing else", () => {
  assert.equal(kvNamespaceId(SHIPPED, "SYNC_STATE"), "00000000000000000000000000000000");
  const id = "0123456789abcdef0123456789abcdef";
  const next = setKvNamespaceId(SHIPPED, "SYNC_STATE", id);
  assert.equal(kvNamespaceId(next, "SYNC_STATE"), id);
  assert.deepEqual(changedLines(SHIPPED, next), [`id = "${id}"`]);
  assert.equal(next.split("\n").length, SHIPPED.split("\n").length);
  // Another binding's block is left alone; a missing block is added.
  const two =
    '[[kv_namespaces]]\nbinding = "OTHER"\nid = "1"\n\n[[kv_namespaces]]\nbinding = "SYNC_STATE"\nid = "2"\n';
  assert.equal(
    setKvNamespaceId(two, "SYNC_STATE", "3"),
    two.replace('id = "2"', 'id = "3"'),
  );
  assert.equal(kvNamespaceId('name = "w"\n', "SYNC_STATE"), undefined);
  assert.equal(
    setKvNamespaceId('name = "w"\n', "SYNC_STATE", "4"),
    'name = "w"\n\n[[kv_namespaces]]\nbinding = "SYNC_STATE"\nid = "4"\n',
  );
});

Deno.test("enableQueues() uncomments the shipped queue block; a second call changes nothing", () => {
  assert.deepEqual(producerQueues(SHIPPED), []);
  const next = enableQueues(SHIPPED, "calltouch-sync", "calltouch-sync-dead");
  assert.deepEqual(producerQueues(next), ["calltouch-sync"]);
  assert.ok(next.trimEnd().endsWith(queueBlocks("calltouch-sync", "calltouch-sync-dead")));
  assert.equal(
    next.split("\n").length,
    SHIPPED.split("\n").length,
    "lines uncommented, none added",
  );
  // The explaining comment above the block stays a comment.
  assert.match(next, /^# {3}deno task wrangler queues create calltouch-sync$/m);
  assert.equal(enableQueues(next, "calltouch-sync", "calltouch-sync-dead"), next);
  // Without the commented block, the blocks are appended.
  const appended = enableQueues('name = "w"\n', "q", "q-dead");
  assert.deepEqual(producerQueues(appended), ["q"]);
  assert.match(appended, /^dead_letter_queue = "q-dead"$/m);
});
