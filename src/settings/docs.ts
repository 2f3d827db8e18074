/**
 * The settings table (`table.ts`) as people read it: the command-line help's settings, the
 * README's settings table, `.dev.vars.example` and `wrangler.toml`'s `[vars]`. Pure; the files
 * are written by `deno task generate` and checked by CI (`test/generated_test.ts`).
 */
import { type Setting, SETTINGS } from "./table.ts";

/** The default as people read it. */
function defaultText(setting: Setting): string {
  if (setting.required) return "required";
  if (setting.defaultDoc !== undefined) return setting.defaultDoc;
  return setting.default !== undefined ? `\`${setting.default}\`` : "none";
}

/** `doc` without Markdown's backticks, for the terminal. */
function plain(text: string): string {
  return text.replaceAll("`", "");
}

/** The text with a capital first letter. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}

/**
 * The settings part of the command-line help: one entry per setting the tool reads, its doc and
 * default, wrapped to 100 columns.
 */
export function usageSettings(): string {
  const indent = " ".repeat(28);
  const out: string[] = [];
  for (const setting of SETTINGS.filter((s) => !s.workerOnly)) {
    const head = [
      setting.required ? "required" : "",
      setting.kind === "secret" ? "secret" : "",
    ].filter(Boolean).join(", ");
    const dflt = setting.required ? "" : ` Default: ${plain(defaultText(setting))}.`;
    const alias = setting.alias ? ` (${setting.alias.name} is its deprecated old name.)` : "";
    const head2 = head ? `${sentence(head)}. ` : "";
    const text = `${head2}${sentence(plain(setting.doc))}.${dflt}${alias}`;
    const lines = wrap(text, 100 - indent.length);
    // A name too long for its column stands on a line of its own.
    if (setting.name.length >= 26) out.push(`  ${setting.name}`, indent + lines[0]);
    else out.push(`  ${setting.name.padEnd(26)}${lines[0]}`);
    for (const line of lines.slice(1)) out.push(indent + line);
  }
  const httpOnly = SETTINGS.filter((s) => s.workerOnly).map((s) => s.name).join(", ");
  out.push(
    `  (${httpOnly} protects the Worker's HTTP routes; the command-line tool does not use it.)`,
  );
  return out.join("\n");
}

/** What a `TARGETS` entry may set of a setting, as the README's table says it. */
function targetDoc(s: Setting): string {
  const role = s.target;
  if (role === undefined) return "—";
  if (role === "override") return "by its name";
  if ("field" in role) return `\`${role.field}\``;
  if ("secretField" in role) return `\`${role.secretField}\` (the secret's name)`;
  return `\`${role.keyField}\` (the clinic's own key)`;
}

/** The README's settings table (Markdown). */
export function readmeSettingsTable(): string {
  const rows = SETTINGS.map((s) => {
    const alias = s.alias ? ` (\`${s.alias.name}\`: its deprecated old name, still read)` : "";
    return `| \`${s.name}\` | ${s.kind} | ${defaultText(s)} | ${targetDoc(s)} | ${
      s.doc.replaceAll("|", "\\|")
    }${alias} |`;
  });
  return [
    "| name | kind | default | in `TARGETS` | meaning |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** `.dev.vars.example`: every secret, then the vars a local run usually sets. */
export function devVarsExample(): string {
  const lines = [
    "# Copy to .dev.vars for `deno task dev` (never commit .dev.vars), or to .env for the",
    "# command-line tool. In production set each secret with `deno task wrangler secret put NAME`",
    "# (the Google key from its file: `deno task wrangler secret put GOOGLE_SERVICE_ACCOUNT < key.json`).",
    "# Generated from src/settings/table.ts by `deno task generate`.",
    "",
  ];
  for (const s of SETTINGS.filter((s) => s.kind === "secret")) {
    const text = `${sentence(plain(s.doc))} (${plain(defaultText(s))}).`;
    for (const line of wrap(text, 96)) lines.push(`# ${line}`);
    lines.push(`${s.name}=`, "");
    if (typeof s.target === "object" && "keyField" in s.target) {
      lines.push(
        `# With TARGETS: each clinic's own key, under the name its ${s.target.keyField} gives, e.g.`,
        `# ${s.name}_DENTAL=`,
        "",
      );
    }
  }
  lines.push(
    "# Settings that are not secrets live in wrangler.toml [vars]; for local runs they can",
  );
  lines.push("# be set here too, e.g.:");
  for (const s of SETTINGS.filter((s) => s.kind === "var" && s.required)) {
    lines.push(`# ${s.name}=`);
  }
  return lines.join("\n") + "\n";
}

/**
 * The part of `wrangler.toml`'s `[vars]` that documents every var: its default, or that it is
 * required (TARGETS aside: see the README). Comments only: the values a deployment sets stay
 * below it, where `deno task init` and people edit them, so regenerating never touches them.
 */
export function wranglerVars(): string {
  const lines = ["# Every var and its default; set one by a line below this list."];
  for (const s of SETTINGS.filter((s) => s.kind === "var" && !s.cliOnly)) {
    if (s.name === "TARGETS") continue;
    const value = s.required
      ? "required"
      : s.default !== undefined
      ? JSON.stringify(s.default)
      : plain(defaultText(s));
    lines.push(`#   ${s.name} = ${value}`);
  }
  return lines.join("\n");
}
