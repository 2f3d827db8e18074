/** Reading wrangler's answers: each call of `deno task init` against wrangler's own words. */
import assert from "node:assert/strict";
import {
  createKvNamespace,
  deployedUrl,
  kvNamespaces,
  putSecret,
  queueExists,
  type RunWrangler,
  secretNames,
  whoami,
  wranglerCommand,
  WranglerError,
  type WranglerResult,
} from "../../../scripts/init/wrangler.ts";

/** A wrangler that answers each command with a canned result, recording what it was asked. */
function canned(answers: Record<string, Partial<WranglerResult>>) {
  const calls: { args: string[]; stdin?: string }[] = [];
  const run: RunWrangler = (args, stdin) => {
    calls.push({ args, stdin });
    const answer = answers[args.join(" ")] ?? { code: 1, stderr: "unexpected call" };
    return Promise.resolve({ code: 0, stdout: "", stderr: "", ...answer });
  };
  return { run, calls };
}

Deno.test("whoami() reads --json, and a plain 'not authenticated' from an older wrangler", async () => {
  const loggedIn = canned({
    "whoami --json": {
      stdout: JSON.stringify({
        loggedIn: true,
        email: "i@example.com",
        accounts: [{ id: "a1", name: "One" }],
      }),
    },
  });
  assert.deepEqual(await whoami(loggedIn.run), {
    loggedIn: true,
    email: "i@example.com",
    accounts: [{ id: "a1", name: "One" }],
  });
  const out = canned({ "whoami --json": { code: 1, stdout: '{"loggedIn":false}' } });
  assert.equal((await whoami(out.run)).loggedIn, false);
  const old = canned({
    "whoami --json": { stdout: "You are not authenticated. Please run `wrangler login`." },
  });
  assert.equal((await whoami(old.run)).loggedIn, false);
  const broken = canned({ "whoami --json": { code: 1, stderr: "fetch failed" } });
  await assert.rejects(() => whoami(broken.run), WranglerError);
});

Deno.test("kvNamespaces() and createKvNamespace() read the list and the printed snippet", async () => {
  const id = "e29b263ab50e42ce9b637fa8370175e8";
  const { run } = canned({
    "kv namespace list": {
      stdout: `[\n  {"id": "${id}", "title": "w-SYNC_STATE", "supports_url_encoding": true}\n]`,
    },
    "kv namespace create w-SYNC_STATE": {
      stdout: `🌀 Creating namespace with title "w-SYNC_STATE"\n✨ Success!\n` +
        `[[kv_namespaces]]\nbinding = "w_SYNC_STATE"\nid = "${id}"\n`,
    },
  });
  assert.deepEqual(await kvNamespaces(run), [{
    id,
    title: "w-SYNC_STATE",
    supports_url_encoding: true,
  }]);
  assert.equal(await createKvNamespace(run, "w-SYNC_STATE"), id);
  // A snippet printed otherwise: the list knows the id by its title.
  const other = canned({
    "kv namespace create w-SYNC_STATE": { stdout: "✨ Success!" },
    "kv namespace list": { stdout: `[{"id": "${id}", "title": "w-SYNC_STATE"}]` },
  });
  assert.equal(await createKvNamespace(other.run, "w-SYNC_STATE"), id);
});

Deno.test("queueExists(): wrangler's 'does not exist' is no, another failure is an error", async () => {
  const { run } = canned({
    "queues info q": { stdout: "Queue Name: q\nQueue ID: 1" },
    "queues info missing": {
      code: 1,
      stderr: '✘ [ERROR] Queue "missing" does not exist. To create it, run: …',
    },
    "queues info broken": { code: 1, stderr: "Authentication error [code: 10000]" },
  });
  assert.equal(await queueExists(run, "q"), true);
  assert.equal(await queueExists(run, "missing"), false);
  await assert.rejects(() => queueExists(run, "broken"), /Authentication error/);
});

Deno.test("secretNames(): the names; none when the Worker does not exist yet", async () => {
  const { run } = canned({
    "secret list --format json": {
      stdout: '[\n  {"name": "SYNC_TOKEN", "type": "secret_text"}\n]',
    },
  });
  assert.deepEqual(await secretNames(run), ["SYNC_TOKEN"]);
  const none = canned({
    "secret list --format json": {
      code: 1,
      stderr: '✘ [ERROR] Worker "w" not found.\n\nIf this is a new Worker, run `wrangler deploy`',
    },
  });
  assert.deepEqual(await secretNames(none.run), []);
});

Deno.test("putSecret(): the value on stdin only; a failure names the command, not the value", async () => {
  const { run, calls } = canned({
    "secret put GOOGLE_SERVICE_ACCOUNT": { stdout: "✨ Success! Uploaded secret" },
    "secret put BROKEN": { code: 1, stderr: "✘ [ERROR] A request to the Cloudflare API failed." },
  });
  await putSecret(run, "GOOGLE_SERVICE_ACCOUNT", "{ secret }");
  assert.deepEqual(calls[0], {
    args: ["secret", "put", "GOOGLE_SERVICE_ACCOUNT"],
    stdin: "{ secret }",
  });
  await assert.rejects(
    () => putSecret(run, "BROKEN", "{ secret }"),
    (error: Error) => {
      assert.match(
        error.message,
        /^wrangler secret put BROKEN failed \(exit 1\):\n {2}✘ \[ERROR\] A request/,
      );
      assert.ok(!error.message.includes("{ secret }"));
      return true;
    },
  );
});

Deno.test("deployedUrl() takes the address wrangler lists under 'Deployed … triggers'", () => {
  const output = [
    "Total Upload: 233.00 KiB / gzip: 80.00 KiB",
    "Your Worker has access to the following bindings:",
    "Binding                     Resource",
    "env.SYNC_STATE (abc)        KV Namespace",
    "Uploaded calltouch-sheet-sync (3.10 sec)",
    "Deployed calltouch-sheet-sync triggers (1.02 sec)",
    "  https://calltouch-sheet-sync.clinic.workers.dev",
    "  schedule: */5 * * * *",
    "Current Version ID: 1b2c",
  ].join("\n");
  assert.equal(deployedUrl(output), "https://calltouch-sheet-sync.clinic.workers.dev");
  assert.equal(
    deployedUrl("Deployed w triggers (1 sec)\n  schedule: */5 * * * *\n"),
    undefined,
    "workers.dev turned off: no address",
  );
});

Deno.test("wranglerCommand(): WRANGLER split on spaces, else Deno running the pinned package", () => {
  assert.deepEqual(wranglerCommand(" npx  wrangler "), ["npx", "wrangler"]);
  assert.deepEqual(wranglerCommand(undefined), [
    Deno.execPath(),
    "run",
    "-A",
    "npm:wrangler@4.164.0",
  ]);
  assert.deepEqual(wranglerCommand(""), wranglerCommand(undefined));
});

Deno.test("the pinned package is deno.json's wrangler", async () => {
  const tasks = JSON.parse(await Deno.readTextFile(new URL("../../../deno.json", import.meta.url)))
    .tasks as Record<string, string>;
  assert.ok(tasks.wrangler.endsWith(wranglerCommand(undefined)[3]), tasks.wrangler);
});
