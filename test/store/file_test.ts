/**
 * FileStore: the same KV contract as MemoryStore (checked side by side), atomic writes, expiry,
 * and state that survives a restart of the process.
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KeyValueStore } from "../../src/platform.ts";
import { FileStore, STATE_FILE_VERSION, StateFileError } from "../../src/store/file.ts";
import { MemoryStore } from "../../src/store/memory.ts";

async function tempDir(): Promise<string> {
  return await mkdtemp(join(tmpdir(), "cts-file-store-"));
}

/** A clock the test moves by hand. */
function manualNow(start = Date.UTC(2026, 10, 28)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

async function listAll(store: KeyValueStore, prefix: string, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await store.list({ prefix, cursor, limit });
    pages.push(page.keys.map((k) => k.name));
    if (page.list_complete) {
      assert.equal(page.cursor, undefined, "a complete page has no cursor");
      return pages;
    }
    assert.ok(page.cursor, "an incomplete page has a cursor");
    cursor = page.cursor;
  }
  throw new Error("list did not complete in 50 pages");
}

/** Runs one scenario on a store and returns everything it observed. */
async function scenario(store: KeyValueStore, clock: ReturnType<typeof manualNow>) {
  const seen: unknown[] = [];
  seen.push(await store.get("missing", "text"), await store.get("missing", "json"));
  await store.put("v1:s:state", JSON.stringify({ v: 1, deals: { "1001": ["f", "m"] } }));
  await store.put("v1:s:runs", "[]");
  await store.put("v1:t:state", '"other sheet"');
  for (let i = 0; i < 7; i++) await store.put(`v1:s:delta:run:${i}`, `{"i":${i}}`);
  await store.put("v1:google-token:key", '{"accessToken":"x"}', { expirationTtl: 120 });
  seen.push(await store.get("v1:s:state", "json"));
  seen.push(await store.get("v1:s:runs", "text"));
  const bulk = await store.get(["v1:s:state", "nope", "v1:s:runs"], "json");
  seen.push([...bulk]);
  seen.push(await listAll(store, "v1:s:delta:", 3));
  seen.push(await listAll(store, "v1:", 1000));
  seen.push(await listAll(store, "zzz", 10));
  await store.put("v1:s:runs", '[{"ok":true}]');
  seen.push(await store.get("v1:s:runs", "json"));
  await store.delete("v1:s:delta:run:3");
  await store.delete("never-there");
  seen.push(await listAll(store, "v1:s:delta:", 4));
  clock.advance(119_000);
  seen.push(await store.get("v1:google-token:key", "text"));
  clock.advance(1_000);
  seen.push(await store.get("v1:google-token:key", "text"));
  seen.push([...await store.get(["v1:google-token:key"], "json")]);
  seen.push(await listAll(store, "v1:google", 10));
  await assert.rejects(async () =>
    await store.get(Array.from({ length: 101 }, (_, i) => `k${i}`), "json")
  );
  return seen;
}

Deno.test("FileStore has the KV contract of MemoryStore: get, bulk get, put, delete, list, expiry", async () => {
  const dir = await tempDir();
  try {
    const memoryClock = manualNow();
    const fileClock = manualNow();
    const expected = await scenario(new MemoryStore(memoryClock.now), memoryClock);
    const path = join(dir, "state.json");
    const actual = await scenario(await FileStore.open(path, { now: fileClock.now }), fileClock);
    assert.deepEqual(actual, expected);
    // The scenario's pages, spelled out once so a bug shared by both stores shows too.
    assert.deepEqual(expected[5], [
      ["v1:s:delta:run:0", "v1:s:delta:run:1", "v1:s:delta:run:2"],
      ["v1:s:delta:run:3", "v1:s:delta:run:4", "v1:s:delta:run:5"],
      ["v1:s:delta:run:6"],
    ]);
    assert.deepEqual(expected[9], [
      ["v1:s:delta:run:0", "v1:s:delta:run:1", "v1:s:delta:run:2", "v1:s:delta:run:4"],
      ["v1:s:delta:run:5", "v1:s:delta:run:6"],
    ]);
    assert.equal(expected[10], '{"accessToken":"x"}', "alive one second before it expires");
    assert.equal(expected[11], null, "gone when expirationTtl has passed");
  } finally {
    await rm(dir, { recursive: true });
  }
});

Deno.test("FileStore.list() does not skip keys deleted between two pages", async () => {
  const dir = await tempDir();
  try {
    const store = await FileStore.open(join(dir, "s.json"));
    for (const k of ["a", "b", "c", "d", "e"]) await store.put(k, "1");
    const first = await store.list({ limit: 2 });
    assert.deepEqual(first.keys.map((k) => k.name), ["a", "b"]);
    await store.delete("a");
    await store.delete("b");
    const second = await store.list({ limit: 2, cursor: first.cursor });
    assert.deepEqual(second.keys.map((k) => k.name), ["c", "d"]);
  } finally {
    await rm(dir, { recursive: true });
  }
});

Deno.test("FileStore writes atomically: one JSON file, no temporary files left, owner-only", async () => {
  const dir = await tempDir();
  try {
    const path = join(dir, "nested", "state.json");
    const store = await FileStore.open(path);
    await assert.rejects(() => stat(path), "opening creates nothing");
    // Concurrent changes, as compact() deletes deltas with Promise.all.
    await Promise.all(Array.from({ length: 40 }, (_, i) => store.put(`k${i}`, String(i))));
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.delete(`k${i * 2}`)));
    assert.deepEqual(await readdir(join(dir, "nested")), ["state.json"]);
    const file = JSON.parse(await readFile(path, "utf8"));
    assert.equal(file.version, STATE_FILE_VERSION);
    assert.equal(Object.keys(file.entries).length, 20);
    assert.deepEqual(file.entries.k1, { value: "1" });
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  } finally {
    await rm(dir, { recursive: true });
  }
});

Deno.test("FileStore: a failed write rejects the put and leaves the old file and no temp file", async () => {
  const dir = await tempDir();
  try {
    const path = join(dir, "state.json");
    const store = await FileStore.open(path);
    await store.put("a", "1");
    const before = await readFile(path, "utf8");
    // A directory where the file should go: rename() fails after the temp file was written.
    const blocked = await FileStore.open(join(dir, "taken"));
    await Deno.mkdir(join(dir, "taken"));
    await Deno.writeTextFile(join(dir, "taken", "inside"), "keeps rename from replacing it");
    await assert.rejects(() => blocked.put("b", "2"));
    assert.deepEqual((await readdir(dir)).sort(), ["state.json", "taken"]);
    assert.equal(await readFile(path, "utf8"), before);
  } finally {
    await rm(dir, { recursive: true });
  }
});

Deno.test("FileStore survives a process restart: another process reads what one wrote", async () => {
  const dir = await tempDir();
  try {
    const path = join(dir, "state.json");
    const module = new URL("../../src/store/file.ts", import.meta.url).href;
    const code = `
      import { FileStore } from ${JSON.stringify(module)};
      const store = await FileStore.open(${JSON.stringify(path)});
      await store.put("v1:s:state", JSON.stringify({ deals: { "1001": 1 } }));
      await store.put("short", "gone soon", { expirationTtl: 60 });
      await store.put("long", "kept", { expirationTtl: 3600 });
    `;
    const child = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", code],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    assert.equal(child.code, 0, new TextDecoder().decode(child.stderr));

    const reopened = await FileStore.open(path);
    assert.deepEqual(await reopened.get("v1:s:state", "json"), { deals: { "1001": 1 } });
    assert.equal(await reopened.get("long", "text"), "kept");
    const later = await FileStore.open(path, { now: () => Date.now() + 61_000 });
    assert.equal(await later.get("short", "text"), null, "expiry survives the restart");
    assert.equal(await later.get("long", "text"), "kept");
    const { keys } = await later.list({});
    assert.deepEqual(keys.map((k) => k.name), ["long", "v1:s:state"]);
  } finally {
    await rm(dir, { recursive: true });
  }
});

Deno.test("FileStore.open() refuses a file that is not a state file, naming it", async () => {
  const dir = await tempDir();
  try {
    const broken = join(dir, "broken.json");
    await writeFile(broken, "{not json");
    await assert.rejects(() => FileStore.open(broken), (error: unknown) => {
      assert.ok(error instanceof StateFileError);
      assert.match(error.message, /broken\.json is not valid JSON/);
      return true;
    });
    const other = join(dir, "other.json");
    await writeFile(other, JSON.stringify({ version: 99, entries: {} }));
    await assert.rejects(() => FileStore.open(other), StateFileError);
  } finally {
    await rm(dir, { recursive: true });
  }
});
