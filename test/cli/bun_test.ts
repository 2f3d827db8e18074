/**
 * Bun smoke test: `bun run src/cli.ts` syncs the demo clinic's sheet against the emulators,
 * resolving hono, zod/mini and jose from the `node_modules/` that `deno install` made. Bun is
 * taken from PATH, else installed from the npm registry into `.cache/bun/` (git-ignored). When
 * it cannot be had, the test fails: it is never skipped silently.
 */
import assert from "node:assert/strict";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { demoClinicRows } from "../../sheets/demo/typed_cells.ts";
import { childEnv, contactsOf, explain, ROOT, startCliRig } from "./support.ts";
import { columnIndex } from "../support/columns.ts";

/** Where Bun is installed when it is not on PATH. */
const BUN_CACHE = join(ROOT, ".cache", "bun");
/** Time limit of `npm install bun`. */
const INSTALL_TIMEOUT_MS = 300_000;
const VALID_COUNT = 11;

async function works(command: string): Promise<string | undefined> {
  try {
    const output = await new Deno.Command(command, {
      args: ["--version"],
      stdout: "piped",
      stderr: "null",
      signal: AbortSignal.timeout(30_000),
    }).output();
    const version = new TextDecoder().decode(output.stdout).trim();
    return output.success && /^\d+\.\d+/.test(version) ? version : undefined;
  } catch {
    return undefined;
  }
}

/** Binaries an npm install of `bun` may leave, best first. */
function cachedCandidates(): string[] {
  const modules = join(BUN_CACHE, "node_modules");
  return [
    join(modules, "bun", "bin", "bun.exe"),
    join(modules, ".bin", "bun"),
    join(
      modules,
      "@oven",
      `bun-linux-${Deno.build.arch === "aarch64" ? "aarch64" : "x64"}`,
      "bin",
      "bun",
    ),
  ];
}

/** A working Bun: from PATH, from the cache, or freshly installed into the cache. */
async function findOrInstallBun(): Promise<{ command: string; version: string }> {
  const onPath = await works("bun");
  if (onPath) return { command: "bun", version: onPath };
  for (const candidate of cachedCandidates()) {
    const version = await works(candidate);
    if (version) return { command: candidate, version };
  }
  const npm = await new Deno.Command("npm", {
    args: ["install", "--prefix", BUN_CACHE, "--no-audit", "--no-fund", "--no-save", "bun"],
    stdout: "piped",
    stderr: "piped",
    env: childEnv(),
    signal: AbortSignal.timeout(INSTALL_TIMEOUT_MS),
  }).output().catch((error) => {
    throw new Error(`Bun is not on PATH and npm could not be run to install it: ${error}`);
  });
  const log = new TextDecoder().decode(npm.stdout) + new TextDecoder().decode(npm.stderr);
  for (const candidate of cachedCandidates()) {
    const version = await works(candidate);
    if (version) return { command: candidate, version };
  }
  throw new Error(
    `Bun is not on PATH and could not be installed with "npm install --prefix ${BUN_CACHE} bun" ` +
      `(exit ${npm.code}):\n${log}`,
  );
}

Deno.test("bun run src/cli.ts: sync --json creates the demo deals, then an idle run", async (t) => {
  const bun = await findOrInstallBun();
  await access(join(ROOT, "node_modules", "hono")).catch(() => {
    throw new Error("node_modules/ is missing: run `deno install` first (Bun resolves from it)");
  });
  const runtime = { command: bun.command, args: ["run"] };
  const env = { DO_NOT_TRACK: "1" };
  const rows = await demoClinicRows();
  const rig = await startCliRig({ rows });
  try {
    await t.step(`sync --json under Bun ${bun.version}`, async () => {
      const result = await rig.run(["sync", "--json"], { runtime, env });
      assert.equal(result.code, 1, explain(result));
      const report = JSON.parse(result.stdout);
      assert.equal(report.ok, true);
      assert.equal(report.counts.created, VALID_COUNT);
      assert.equal(report.counts.invalid, 9);
      assert.equal(rig.calltouch.deals.size, VALID_COUNT, "the deals exist in Calltouch");
      assert.match(String(rig.cells()[1][columnIndex(rows[0], "syncStatus")]), /^✅ создана /);
      for (const contact of contactsOf(rows)) assert.ok(!result.stdout.includes(contact), contact);
      assert.ok(await rig.stateFile(), "the state file was written");
    });
    await t.step("idle syncs and a check under Bun", async () => {
      const calltouch = rig.calltouch.requests.length;
      const idle = await rig.run(["sync"], { runtime, env });
      assert.equal(idle.code, 1, explain(idle));
      assert.match(idle.stdout, /^ +20 +0 +0 +11 +0 +9 +0 +0$/m);
      assert.equal(rig.calltouch.requests.length, calltouch);
      // It left a quiet record: the next idle run is quiet and writes nothing.
      const before = await rig.stateFile();
      const quiet = await rig.run(["sync"], { runtime, env });
      assert.match(quiet.stdout, /quiet/, explain(quiet));
      assert.deepEqual(await rig.stateFile(), before);
      const check = await rig.run(["check"], { runtime, env });
      assert.equal(check.code, 1, explain(check));
      assert.match(check.stdout, /^ {2}L +Calltouch +syncStatus: sync status/m);
    });
  } finally {
    await rig.close();
  }
});
