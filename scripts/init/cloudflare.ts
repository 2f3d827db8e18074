/**
 * The Cloudflare steps of `deno task init`, each repairing only what is missing: the login (and
 * the account, when it has several), the KV namespace, the queues, the clinic's settings in
 * wrangler.toml, and the secrets.
 */
import { spreadsheetIdFrom } from "../../src/settings/table.ts";
import { checkedCalltouchKey, checkedSyncToken } from "./answers.ts";
import { type Answers, type Context, Stop, type TargetEntry } from "./context.ts";
import {
  enableQueues,
  kvNamespaceId,
  PLACEHOLDER_KV_ID,
  producerQueues,
  setKvNamespaceId,
  setValue,
  tableStrings,
  tomlMultiline,
  tomlString,
} from "./toml.ts";
import {
  createKvNamespace,
  createQueue,
  kvNamespaces,
  putSecret,
  queueExists,
  secretNames,
  whoami,
} from "./wrangler.ts";

/** The KV binding the Worker keeps its state in. */
const KV_BINDING = "SYNC_STATE";
/** The queue and dead-letter queue of wrangler.toml's commented block. */
export const QUEUE = "calltouch-sync";
export const DEAD_LETTER_QUEUE = "calltouch-sync-dead";

/** `wrangler whoami`: stops when nobody is logged in; picks the account when there are several. */
export async function checkLogin(ctx: Context): Promise<void> {
  const who = await whoami(ctx.run);
  if (!who.loggedIn) {
    throw new Stop(
      "Not logged in to Cloudflare: run `deno task wrangler login` (or set CLOUDFLARE_API_TOKEN), " +
        "then deno task init again.",
    );
  }
  ctx.io.stdout(`  logged in${who.email ? ` as ${who.email}` : ""}\n`);
  const root = tableStrings(ctx.toml, "");
  if (who.accounts.length <= 1 || root.account_id || ctx.io.env.CLOUDFLARE_ACCOUNT_ID) return;
  const listed = who.accounts.map((a, i) => `  ${i + 1}. ${a.name} (${a.id})`).join("\n");
  const chosen = ctx.flags.accountId ??
    await ctx.ask(
      `This login has several Cloudflare accounts:\n${listed}\nWhich one (number or id)`,
    );
  const account = who.accounts.find((a, i) => a.id === chosen || String(i + 1) === chosen?.trim());
  if (!account) {
    throw new Stop(
      `This login has several Cloudflare accounts; name one with --account-id:\n${listed}`,
      2,
    );
  }
  await writeToml(ctx, setValue(ctx.toml, "", "account_id", tomlString(account.id)));
  ctx.changes.push(`wrote account_id ${account.id} into wrangler.toml`);
  ctx.io.stdout(`  + account ${account.name}: account_id written into wrangler.toml\n`);
}

/** Writes wrangler.toml when `text` differs from it. */
async function writeToml(ctx: Context, text: string): Promise<void> {
  if (text === ctx.toml) return;
  await Deno.writeTextFile(ctx.tomlPath, text);
  ctx.toml = text;
}

/** The SYNC_STATE namespace: the one wrangler.toml names, else found by title, else created. */
export async function ensureKvNamespace(ctx: Context): Promise<void> {
  const say = (text: string) => ctx.io.stdout(`  ${text}\n`);
  const current = kvNamespaceId(ctx.toml, KV_BINDING);
  const namespaces = await kvNamespaces(ctx.run);
  if (current !== undefined && current !== PLACEHOLDER_KV_ID) {
    const found = namespaces.find((n) => n.id === current);
    if (found) return say(`${KV_BINDING}: ${found.title} (${current}), as in wrangler.toml`);
    throw new Stop(
      `wrangler.toml binds ${KV_BINDING} to the KV namespace ${current}, which this Cloudflare ` +
        "account does not have (another account's?). Log in to the account that has it, or put " +
        `${PLACEHOLDER_KV_ID} there to let init create one.`,
    );
  }
  const title = `${tableStrings(ctx.toml, "").name ?? "calltouch-sheet-sync"}-${KV_BINDING}`;
  let id = namespaces.find((n) => n.title === title)?.id;
  if (id !== undefined) say(`${KV_BINDING}: found ${title} (${id})`);
  else {
    id = await createKvNamespace(ctx.run, title);
    ctx.changes.push(`created the KV namespace ${title}`);
    say(`+ created the KV namespace ${title} (${id})`);
  }
  await writeToml(ctx, setKvNamespaceId(ctx.toml, KV_BINDING, id));
  ctx.changes.push(`wrote its id into wrangler.toml`);
  say(`+ wrote its id into wrangler.toml`);
}

/** The queue blocks in effect in wrangler.toml, and their queues created when missing. */
export async function ensureQueues(ctx: Context): Promise<void> {
  const say = (text: string) => ctx.io.stdout(`  ${text}\n`);
  await writeToml(ctx, enableQueues(ctx.toml, QUEUE, DEAD_LETTER_QUEUE));
  const producers = producerQueues(ctx.toml);
  const deadLetters = [...ctx.toml.matchAll(/^\s*dead_letter_queue\s*=\s*"([^"]+)"/gm)].map((m) =>
    m[1]
  );
  for (const name of new Set([...producers, ...deadLetters])) {
    if (await queueExists(ctx.run, name)) say(`queue ${name}: exists`);
    else {
      await createQueue(ctx.run, name);
      ctx.changes.push(`created the queue ${name}`);
      say(`+ created the queue ${name}`);
    }
  }
}

/** The clinic's settings in wrangler.toml [vars] (several clinics: its target in TARGETS). */
export async function writeSettings(ctx: Context, answers: Answers): Promise<void> {
  const say = (text: string) => ctx.io.stdout(`  ${text}\n`);
  const before = ctx.toml;
  if (answers.target === undefined) {
    const vars = tableStrings(ctx.toml, "vars");
    const wanted: [string, string][] = [
      ["SPREADSHEET_ID", answers.spreadsheetId],
      ["SHEET_NAME", answers.tab ?? ""],
      ["CALLTOUCH_SITE_ID", answers.siteId],
    ];
    for (const [name, value] of wanted) {
      const same = name === "SPREADSHEET_ID"
        ? spreadsheetIdFrom(vars[name] ?? "") === value
        : (vars[name] ?? "").trim() === value;
      if (same) continue;
      await writeToml(ctx, setValue(ctx.toml, "vars", name, tomlString(value)));
      ctx.changes.push(`set ${name} in wrangler.toml`);
      say(`+ ${name} = "${value}"`);
    }
  } else {
    const old = answers.target;
    const entry: TargetEntry = {
      ...old,
      id: old.id,
      spreadsheet: spreadsheetIdFrom(old.spreadsheet ?? "") === answers.spreadsheetId
        ? old.spreadsheet
        : answers.spreadsheetId,
      calltouchSiteId: answers.siteId,
      calltouchTokenSecret: answers.calltouchSecret,
    };
    if (answers.tab) entry.tab = answers.tab;
    else delete entry.tab;
    const others = answers.targets.filter((t) => t.id !== entry.id);
    const known = answers.targets.find((t) => t.id === entry.id);
    if (known === undefined || JSON.stringify(known) !== JSON.stringify(entry)) {
      const list = answers.targets.some((t) => t.id === entry.id)
        ? answers.targets.map((t) => (t.id === entry.id ? entry : t))
        : [...others, entry];
      const json = `[\n${list.map((t) => `  ${JSON.stringify(t)}`).join(",\n")}\n]`;
      await writeToml(ctx, setValue(ctx.toml, "vars", "TARGETS", tomlMultiline(json)));
      ctx.changes.push(`${known ? "updated" : "added"} the target "${entry.id}" in TARGETS`);
      say(`+ ${known ? "updated" : "added"} the target "${entry.id}" in TARGETS`);
    }
  }
  if (ctx.toml === before) say("as in wrangler.toml");
}

/**
 * Puts the secrets Cloudflare does not have (and those `--replace-secret` names), values on
 * stdin; returns SYNC_TOKEN when this run knows it.
 */
export async function ensureSecrets(ctx: Context, answers: Answers): Promise<string | undefined> {
  const say = (text: string) => ctx.io.stdout(`  ${text}\n`);
  const existing = new Set(await secretNames(ctx.run));
  const replace = new Set(ctx.flags.replaceSecrets);
  const needed = (name: string) => !existing.has(name) || replace.has(name);
  let syncToken = answers.syncToken;

  if (needed("GOOGLE_SERVICE_ACCOUNT")) {
    await putSecret(ctx.run, "GOOGLE_SERVICE_ACCOUNT", answers.keyJson);
    ctx.changes.push("put GOOGLE_SERVICE_ACCOUNT");
    say("+ put GOOGLE_SERVICE_ACCOUNT (from the key file)");
  } else say("GOOGLE_SERVICE_ACCOUNT: set");

  const calltouch = answers.calltouchSecret;
  if (needed(calltouch)) {
    const key = answers.calltouchKey ?? await askCalltouchKey(ctx, calltouch);
    answers.calltouchKey = key;
    await putSecret(ctx.run, calltouch, key);
    ctx.changes.push(`put ${calltouch}`);
    say(`+ put ${calltouch} (the Calltouch API key)`);
  } else say(`${calltouch}: set`);

  if (needed("SYNC_TOKEN")) {
    if (syncToken === undefined) {
      syncToken = randomToken();
      answers.syncTokenMade = true;
    }
    await putSecret(ctx.run, "SYNC_TOKEN", syncToken);
    ctx.changes.push("put SYNC_TOKEN");
    say("+ put SYNC_TOKEN");
    if (answers.syncTokenMade) {
      say("");
      say("  SYNC_TOKEN — the control panel's password and the sheet menu's token. It is shown");
      say("  this once: keep it (a password manager), and give it to the clinic.");
      say(`      ${syncToken}`);
      say("");
    }
  } else say("SYNC_TOKEN: set");

  // The key of the hashes kept over deals (docs/privacy.md): without it they are keyed by the
  // Calltouch key, and changing that key would stop the sync until the old one is given back.
  // Put once, never replaced here (a new one needs the old in STATE_KEY_PREVIOUS).
  if (!existing.has("STATE_KEY")) {
    const stateKey = randomToken(32);
    await putSecret(ctx.run, "STATE_KEY", stateKey);
    ctx.changes.push("put STATE_KEY");
    say("+ put STATE_KEY");
    say("");
    say("  STATE_KEY — the key of the hashes the sync keeps (no one types it). It is shown this");
    say("  once: keep it beside SYNC_TOKEN; you need it only to rotate it (docs/privacy.md).");
    say(`      ${stateKey}`);
    say("");
  } else say("STATE_KEY: set");
  return syncToken;
}

async function askCalltouchKey(ctx: Context, secret: string): Promise<string> {
  const key = await ctx.ask(`The Calltouch API key for ${secret} (not shown as you type)`, {
    secret: true,
  });
  if (!key) {
    throw new Stop(
      `Cloudflare has no ${secret} and this run was given no Calltouch key: give it with ` +
        "--calltouch-key-file F or CALLTOUCH_TOKEN=… in the environment, then run init again.",
      2,
    );
  }
  return checkedCalltouchKey(key);
}

/** Asks for SYNC_TOKEN (for the dry run), when a person can answer. */
export async function askSyncToken(ctx: Context): Promise<string | undefined> {
  const token = await ctx.ask(
    "SYNC_TOKEN, for the dry run through the Worker (Enter: skip it)",
    { secret: true },
  );
  return token ? checkedSyncToken(token) : undefined;
}

/** 24 random bytes as hex, as `openssl rand -hex 24` makes. */
/** `bytes` random bytes as hex. */
function randomToken(bytes = 24): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(bytes)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}
