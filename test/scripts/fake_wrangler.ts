/**
 * A fake `wrangler` for the tests of `deno task init`: a Cloudflare account in a JSON file
 * (`FAKE_WRANGLER_STATE`), the calls it receives appended to it, and the answers wrangler
 * 4.164 gives (whoami --json, kv namespace list/create, queues info/create, secret list/put
 * reading stdin, deploy printing the Worker's address). `deploy` asks the test's control server
 * (`FAKE_WRANGLER_CONTROL`) to start the real Worker with what was put, and prints its address.
 * Runs without the project's configuration: Deno APIs only.
 */

/** The fake account, as the state file holds it. */
export interface FakeAccount {
  loggedIn: boolean;
  email: string;
  accounts: { id: string; name: string }[];
  namespaces: { id: string; title: string }[];
  queues: string[];
  workerExists: boolean;
  secrets: Record<string, string>;
  /** Every call: its arguments, where it ran, and how many bytes it read on stdin. */
  calls: { args: string[]; cwd: string; stdinBytes: number }[];
}

/** A fresh account: logged in, nothing created yet. */
export function freshAccount(): FakeAccount {
  return {
    loggedIn: true,
    email: "integrator@example.com",
    accounts: [{ id: "0123456789abcdef0123456789abcdef", name: "Integrator" }],
    namespaces: [],
    queues: [],
    workerExists: false,
    secrets: {},
    calls: [],
  };
}

function randomHex(bytes: number): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(bytes)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

async function readStdin(): Promise<string> {
  return await new Response(Deno.stdin.readable).text();
}

function workerName(): string {
  const toml = Deno.readTextFileSync("wrangler.toml");
  return /^name\s*=\s*"([^"]+)"/m.exec(toml)?.[1] ?? "worker";
}

async function fake(args: string[], account: FakeAccount): Promise<number> {
  const out = (text: string) => console.log(text);
  const fail = (text: string) => {
    console.error(`✘ [ERROR] ${text}`);
    return 1;
  };
  const [a, b, c] = args;
  if (a === "whoami") {
    if (!account.loggedIn) {
      out(JSON.stringify({ loggedIn: false }));
      return 1;
    }
    out(JSON.stringify({
      loggedIn: true,
      authType: "OAuth Token",
      email: account.email,
      accounts: account.accounts,
    }));
    return 0;
  }
  if (!account.loggedIn) return fail("You are not authenticated. Please run `wrangler login`.");
  if (a === "kv" && b === "namespace" && c === "list") {
    out(JSON.stringify(
      account.namespaces.map((n) => ({ ...n, supports_url_encoding: true })),
      null,
      "  ",
    ));
    return 0;
  }
  if (a === "kv" && b === "namespace" && c === "create") {
    const title = args[3];
    if (account.namespaces.some((n) => n.title === title)) {
      return fail(`A KV namespace with the title "${title}" already exists.`);
    }
    const id = randomHex(16);
    account.namespaces.push({ id, title });
    out(`🌀 Creating namespace with title "${title}"`);
    out("✨ Success!");
    out(
      "To access your new KV Namespace in your Worker, add the following snippet to your " +
        "configuration file:",
    );
    out(`[[kv_namespaces]]\nbinding = "${title.replace(/[\s-]/g, "_")}"\nid = "${id}"`);
    return 0;
  }
  if (a === "queues" && b === "info") {
    if (!account.queues.includes(c)) {
      return fail(`Queue "${c}" does not exist. To create it, run: wrangler queues create ${c}`);
    }
    out(`Queue Name: ${c}\nQueue ID: ${randomHex(16)}`);
    return 0;
  }
  if (a === "queues" && b === "create") {
    if (account.queues.includes(c)) return fail(`A queue with the name "${c}" already exists`);
    account.queues.push(c);
    out(`🌀 Creating queue '${c}'\n✅ Created queue '${c}'`);
    return 0;
  }
  if (a === "secret" && b === "list") {
    if (!account.workerExists) {
      return fail(
        `Worker "${workerName()}" not found.\n\nIf this is a new Worker, run \`wrangler deploy\` ` +
          "first to create it.",
      );
    }
    out(JSON.stringify(
      Object.keys(account.secrets).map((name) => ({ name, type: "secret_text" })),
      null,
      "  ",
    ));
    return 0;
  }
  if (a === "secret" && b === "put") {
    const value = (await readStdin()).replace(/\s+$/, "");
    account.calls[account.calls.length - 1].stdinBytes = new TextEncoder().encode(value).length;
    if (!account.workerExists) {
      out(`? There doesn't seem to be a Worker called "${workerName()}". Do you want to create a`);
      out("🤖 Using fallback value in non-interactive context: yes");
      out(`🌀 Creating new Worker "${workerName()}"...`);
      account.workerExists = true;
    }
    account.secrets[c] = value;
    out(`🌀 Creating the secret for the Worker "${workerName()}"`);
    out(`✨ Success! Uploaded secret ${c}`);
    return 0;
  }
  if (a === "deploy") {
    const control = Deno.env.get("FAKE_WRANGLER_CONTROL");
    let url = `https://${workerName()}.integrator.workers.dev`;
    if (control) {
      const res = await fetch(`${control}/deploy`, {
        method: "POST",
        body: JSON.stringify({ cwd: Deno.cwd(), secrets: account.secrets }),
      });
      const answer = await res.json();
      if (!res.ok) return fail(answer.error);
      url = answer.url;
    }
    account.workerExists = true;
    out("Total Upload: 233.00 KiB / gzip: 80.00 KiB");
    out(`Uploaded ${workerName()} (1.23 sec)`);
    out(`Deployed ${workerName()} triggers (0.50 sec)`);
    out(`  ${url}`);
    out("  schedule: */5 * * * *");
    out(`Current Version ID: ${randomHex(16)}`);
    return 0;
  }
  return fail(`Unknown arguments: ${args.join(" ")}`);
}

if (import.meta.main) {
  const path = Deno.env.get("FAKE_WRANGLER_STATE");
  if (!path) throw new Error("FAKE_WRANGLER_STATE is not set");
  const account = JSON.parse(Deno.readTextFileSync(path)) as FakeAccount;
  account.calls.push({ args: Deno.args, cwd: Deno.cwd(), stdinBytes: 0 });
  const code = await fake(Deno.args, account);
  Deno.writeTextFileSync(path, JSON.stringify(account, null, 2));
  Deno.exit(code);
}
