/**
 * The wrangler calls of `deno task init`, each reading wrangler's answer: who is logged in, the
 * KV namespaces, the queues, the secrets' names, a secret put (its value on stdin, never in
 * the arguments), and a deploy (the Worker's address). Runs `deno run -A npm:wrangler@…` by
 * default, or the command in `WRANGLER` / `--wrangler` (tests put a fake `wrangler` on PATH).
 */

/** The wrangler of `deno.json`'s tasks. */
export const WRANGLER_PACKAGE = "npm:wrangler@4.164.0";
/** Lines of wrangler's output quoted when a call fails. */
const QUOTED_LINES = 15;

/** What one wrangler call did. */
export interface WranglerResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A wrangler call that failed: the command (no secret is ever in it) and wrangler's words. */
export class WranglerError extends Error {
  override readonly name = "WranglerError";
  constructor(readonly args: readonly string[], readonly result: WranglerResult) {
    const said = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(-QUOTED_LINES);
    super(
      `wrangler ${args.join(" ")} failed (exit ${result.code})` +
        (said.length > 0 && said[0] !== "" ? `:\n  ${said.join("\n  ")}` : ""),
    );
  }
}

/** Runs one wrangler command; `stdin` is written to it and closed (else it reads nothing). */
export type RunWrangler = (args: string[], stdin?: string) => Promise<WranglerResult>;

/** Options of {@linkcode wranglerRunner}. */
export interface WranglerRunnerOptions {
  /** The command and its first arguments, e.g. `["wrangler"]`. Default: Deno running the package. */
  command?: string[];
  /** Where wrangler.toml is: wrangler runs there. */
  cwd: string;
  /** The whole environment of the calls (PATH included). */
  env: Record<string, string>;
}

/** The wrangler command: `WRANGLER` split on spaces, or Deno running {@linkcode WRANGLER_PACKAGE}. */
export function wranglerCommand(setting: string | undefined): string[] {
  const words = setting?.trim().split(/\s+/).filter(Boolean) ?? [];
  return words.length > 0 ? words : [Deno.execPath(), "run", "-A", WRANGLER_PACKAGE];
}

/**
 * Runs wrangler commands with wrangler kept quiet and offline (no metrics, no banner) and its
 * output captured. Never interactive: wrangler answers its questions with its defaults.
 */
export function wranglerRunner(options: WranglerRunnerOptions): RunWrangler {
  const [program, ...first] = options.command ?? wranglerCommand(undefined);
  const env: Record<string, string> = {
    ...options.env,
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_HIDE_BANNER: "true",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
  };
  const executable = resolveOnPath(program, env.PATH ?? "");
  return async (args, stdin) => {
    const child = new Deno.Command(executable, {
      args: [...first, ...args],
      cwd: options.cwd,
      env,
      clearEnv: true,
      stdin: stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    if (stdin !== undefined) {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(stdin));
      await writer.close();
    }
    const { code, stdout, stderr } = await child.output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    return { code, stdout: decode(stdout), stderr: decode(stderr) };
  };
}

/** The program found on `path` (the calls' own PATH, so a fake first on it wins). */
function resolveOnPath(program: string, path: string): string {
  if (program.includes("/")) return program;
  for (const dir of path.split(":").filter(Boolean)) {
    const candidate = `${dir}/${program}`;
    try {
      const info = Deno.statSync(candidate);
      if (info.isFile && (info.mode ?? 0o111) & 0o111) return candidate;
    } catch {
      // not in this directory
    }
  }
  return program;
}

/** Who wrangler is logged in as (`wrangler whoami --json`). */
export interface WhoAmI {
  loggedIn: boolean;
  email?: string;
  accounts: { id: string; name: string }[];
}

/** `wrangler whoami --json`: exits non-zero with `{"loggedIn": false}` when nobody is. */
export async function whoami(run: RunWrangler): Promise<WhoAmI> {
  const args = ["whoami", "--json"];
  const result = await run(args);
  const answer = jsonIn(result.stdout) as Partial<WhoAmI> | undefined;
  if (answer?.loggedIn === true) {
    return { loggedIn: true, email: answer.email, accounts: answer.accounts ?? [] };
  }
  if (answer?.loggedIn === false || /not authenticated|wrangler login/i.test(allOf(result))) {
    return { loggedIn: false, accounts: [] };
  }
  throw new WranglerError(args, result);
}

/** A KV namespace of the account. */
export interface KvNamespace {
  id: string;
  title: string;
}

/** `wrangler kv namespace list` (JSON). */
export async function kvNamespaces(run: RunWrangler): Promise<KvNamespace[]> {
  const args = ["kv", "namespace", "list"];
  const result = await run(args);
  const list = result.code === 0 ? jsonIn(result.stdout) : undefined;
  if (!Array.isArray(list)) throw new WranglerError(args, result);
  return list.filter((n): n is KvNamespace =>
    typeof n?.id === "string" && typeof n?.title === "string"
  );
}

/** `wrangler kv namespace create TITLE`: the new namespace's id (from the snippet it prints). */
export async function createKvNamespace(run: RunWrangler, title: string): Promise<string> {
  const args = ["kv", "namespace", "create", title];
  const result = await run(args);
  const id = /\bid\s*=\s*"([0-9a-f]{32})"|"id"\s*:\s*"([0-9a-f]{32})"/.exec(result.stdout);
  if (result.code !== 0) throw new WranglerError(args, result);
  if (id) return id[1] ?? id[2];
  // Another wrangler may print the snippet differently: the list knows the id by its title.
  const created = (await kvNamespaces(run)).find((n) => n.title === title);
  if (!created) throw new WranglerError(args, result);
  return created.id;
}

/** `wrangler queues info NAME`: whether the queue exists. */
export async function queueExists(run: RunWrangler, name: string): Promise<boolean> {
  const args = ["queues", "info", name];
  const result = await run(args);
  if (result.code === 0) return true;
  if (/does not exist/i.test(allOf(result))) return false;
  throw new WranglerError(args, result);
}

/** `wrangler queues create NAME`. */
export async function createQueue(run: RunWrangler, name: string): Promise<void> {
  const args = ["queues", "create", name];
  const result = await run(args);
  if (result.code !== 0) throw new WranglerError(args, result);
}

/**
 * `wrangler secret list` (JSON): the names of the Worker's secrets; none when the Worker does
 * not exist yet.
 */
export async function secretNames(run: RunWrangler): Promise<string[]> {
  const args = ["secret", "list", "--format", "json"];
  const result = await run(args);
  if (result.code !== 0) {
    if (/not found|does not exist|10007/i.test(allOf(result))) return [];
    throw new WranglerError(args, result);
  }
  const list = jsonIn(result.stdout);
  if (!Array.isArray(list)) throw new WranglerError(args, result);
  return list.map((s) => String(s?.name ?? "")).filter(Boolean);
}

/** `wrangler secret put NAME` with the value on stdin (wrangler reads a pipe whole). */
export async function putSecret(run: RunWrangler, name: string, value: string): Promise<void> {
  const args = ["secret", "put", name];
  const result = await run(args, value);
  if (result.code !== 0) throw new WranglerError(args, result);
}

/**
 * `wrangler deploy`: the Worker's address, as wrangler lists it under "Deployed … triggers"
 * (the workers.dev URL), or undefined when it lists none (workers.dev turned off).
 */
export async function deploy(run: RunWrangler): Promise<{ url?: string; output: string }> {
  const args = ["deploy"];
  const result = await run(args);
  if (result.code !== 0) throw new WranglerError(args, result);
  return { url: deployedUrl(result.stdout), output: result.stdout };
}

/** The first address listed after wrangler's "Deployed … triggers" line, without a trailing `/`. */
export function deployedUrl(output: string): string | undefined {
  const lines = output.split("\n");
  const from = lines.findIndex((line) => /^\s*Deployed .* triggers/.test(line));
  for (const line of from < 0 ? lines : lines.slice(from + 1)) {
    const url = /^\s+(https?:\/\/\S+)\s*$/.exec(line)?.[1];
    if (url) return url.replace(/\/+$/, "");
  }
  return undefined;
}

function allOf(result: WranglerResult): string {
  return `${result.stdout}\n${result.stderr}`;
}

/** The JSON value in wrangler's output (a warning line may come before it). */
function jsonIn(text: string): unknown {
  const start = text.search(/^[[{]/m);
  if (start < 0) return undefined;
  try {
    return JSON.parse(text.slice(start));
  } catch {
    return undefined;
  }
}
