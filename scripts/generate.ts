/**
 * `deno task generate`: writes every file (or part of a file) that is derived from the column
 * table, the settings table and the catalog of words, so that no copy is kept by hand: the sheet
 * template, the column table of `docs/how-it-works.md`, the README's settings table, the sheet
 * guide's column list, the troubleshooting tables (README and `docs/troubleshooting.md`, from
 * `src/words/help.ts`), `.dev.vars.example`, `wrangler.toml`'s `[vars]` and the Apps Script menu's
 * texts.
 * `deno task generate --check` (and `test/generated_test.ts`, which CI runs) fails when a file is
 * stale.
 *
 * A part of a file is the text between `<!-- generated: NAME -->` and `<!-- /generated: NAME -->`
 * (Markdown), `# generated: NAME` and `# /generated: NAME` (TOML) or `// generated: NAME` and
 * `// /generated: NAME` (JavaScript) lines.
 */
import { columnsTable, guideColumnsList, templateCsv, templateTsv } from "../src/columns/docs.ts";
import { devVarsExample, readmeSettingsTable, wranglerVars } from "../src/settings/docs.ts";
import { menuTextSource } from "../src/words/apps_script.ts";
import { readmeCellsTable, readmeErrorsTable, troubleshootingTables } from "./troubleshooting.ts";

const ROOT = new URL("..", import.meta.url);

/** One generated file or part: where, and what it must hold. */
export interface Generated {
  /** Path from the repository root. */
  path: string;
  /** For a part: its name; absent: the whole file. */
  block?: string;
  content: string;
}

/** Everything generated. */
export function generated(): Generated[] {
  return [
    { path: "sheets/deals-template.csv", content: templateCsv() },
    { path: "sheets/deals-template.tsv", content: templateTsv() },
    { path: "docs/how-it-works.md", block: "columns", content: columnsTable() },
    { path: "README.md", block: "status-cells", content: readmeCellsTable() },
    { path: "README.md", block: "settings", content: readmeSettingsTable() },
    { path: "README.md", block: "run-errors", content: readmeErrorsTable() },
    { path: "docs/troubleshooting.md", block: "troubleshooting", content: troubleshootingTables() },
    { path: "sheets/README.md", block: "columns", content: guideColumnsList() },
    { path: ".dev.vars.example", content: devVarsExample() },
    { path: "wrangler.toml", block: "vars", content: wranglerVars() },
    { path: "sheets/apps-script/Code.js", block: "menu-text", content: menuTextSource() },
  ];
}

/** The markers of a part in a file of this kind. */
function markers(path: string, block: string): [string, string] {
  return path.endsWith(".toml")
    ? [`# generated: ${block}`, `# /generated: ${block}`]
    : path.endsWith(".js")
    ? [`// generated: ${block}`, `// /generated: ${block}`]
    : [`<!-- generated: ${block} -->`, `<!-- /generated: ${block} -->`];
}

/**
 * `text` with the part replaced by `content`.
 *
 * @throws {Error} when the file lacks the part's markers.
 */
export function withBlock(text: string, path: string, block: string, content: string): string {
  const [open, close] = markers(path, block);
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) throw new Error(`${path} has no "${open}" … "${close}" part`);
  return `${text.slice(0, start + open.length)}\n${content}\n${text.slice(end)}`;
}

/** What `path` should hold, given what it holds now (with this part in place). */
export function expected(item: Generated, current: string): string {
  return item.block === undefined
    ? item.content
    : withBlock(current, item.path, item.block, item.content);
}

/**
 * The text as `deno fmt` leaves it (Markdown tables aligned, JavaScript laid out), so that
 * formatting the repository and generating agree.
 */
export async function formatted(path: string, text: string): Promise<string> {
  const ext = path.endsWith(".md") ? "md" : path.endsWith(".js") ? "js" : undefined;
  if (!ext) return text;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", `--ext=${ext}`, "-"],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) throw new Error(`deno fmt failed: ${new TextDecoder().decode(stderr)}`);
  return new TextDecoder().decode(stdout);
}

/** Every generated file as it should be now, by path. */
export async function expectedFiles(): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const item of generated()) {
    const current = texts.get(item.path) ??
      await Deno.readTextFile(new URL(item.path, ROOT)).catch(() => "");
    texts.set(item.path, expected(item, current));
  }
  for (const [path, text] of texts) texts.set(path, await formatted(path, text));
  return texts;
}

async function main(args: string[]): Promise<number> {
  const check = args.includes("--check");
  if (args.some((a) => a !== "--check")) {
    console.error("Usage: deno task generate [--check]");
    return args.includes("--help") || args.includes("-h") ? 0 : 2;
  }
  const stale: string[] = [];
  for (const [path, text] of await expectedFiles()) {
    const url = new URL(path, ROOT);
    const current = await Deno.readTextFile(url).catch(() => "");
    if (current === text) continue;
    stale.push(path);
    if (!check) await Deno.writeTextFile(url, text);
  }
  if (check && stale.length > 0) {
    console.error(`Stale generated files (run deno task generate): ${stale.join(", ")}`);
    return 1;
  }
  console.log(stale.length === 0 ? "Generated files are current." : `Wrote ${stale.join(", ")}`);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
