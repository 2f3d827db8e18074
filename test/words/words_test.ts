/**
 * The catalog of words (`src/words/`): both languages have every code, every text renders with
 * sample arguments, and every text keeps the house voice, written down here as checks.
 */
import assert from "node:assert/strict";
import { languageOf, words } from "../../src/words/mod.ts";
import { ALL_CATALOGS as CATALOGS } from "../../src/words/all.ts";
import { menuTextSource } from "../../src/words/apps_script.ts";
import { CODE_JS } from "../sheets/support/apps_script.ts";
import { SAMPLES } from "./samples.ts";

type Node = { readonly [key: string]: unknown };

/** Every text of a catalog by code (`status.created`), functions as they are. */
function codes(node: unknown, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(node as Node)) {
    const code = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "object" && value !== null) {
      for (const [inner, text] of codes(value, code)) out.set(inner, text);
    } else out.set(code, value);
  }
  return out;
}

/** The sample arguments of a code (undefined: none in `SAMPLES`). */
function sample(code: string): unknown[] | undefined {
  let node: unknown = SAMPLES;
  for (const part of code.split(".")) node = (node as Node | undefined)?.[part];
  return Array.isArray(node) ? node : undefined;
}

/** Every string a code's sample carries (to take them out of its text before judging it). */
function sampleStrings(args: readonly unknown[]): string[] {
  return args.flatMap(function strings(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.flatMap(strings);
    if (typeof value === "object" && value !== null) return Object.values(value).flatMap(strings);
    return [];
  });
}

interface Rendered {
  code: string;
  text: string;
  /** The text without the sample's strings: only the catalog's own words. */
  own: string;
}

/** Every text of a language, rendered with its sample. */
function rendered(language: "ru" | "en"): Rendered[] {
  return [...codes(CATALOGS[language])].map(([code, value]) => {
    if (typeof value === "string") return { code, text: value, own: value };
    const args = sample(code);
    assert.ok(args, `${language} ${code}: no sample in test/words/samples.ts`);
    const text = (value as (...a: unknown[]) => unknown)(...args);
    assert.equal(typeof text, "string", `${language} ${code} renders a string`);
    let own = text as string;
    const strings = sampleStrings(args).sort((a, b) => b.length - a.length);
    for (const s of strings) if (s !== "") own = own.replaceAll(s, " ");
    return { code, text: text as string, own };
  });
}

const LANGUAGES = ["ru", "en"] as const;

/** Fragments, glued into other texts by the code: no voice of their own to check. */
const FRAGMENTS = new Set(["status.noReason", "rows.moreProblems"]);

/** What may be Latin in a Russian text: quoted or marked identifiers, names, examples. */
const ALLOWED_LATIN = [
  /`[^`]*`/g, // identifiers in backticks
  /«[^»]*»/g, // quoted: headers, values, English menus of Google's console
  /"[^"]*"/g,
  /https?:\/\/\S+/g, // URLs
  /\S+@\S+/g, // e-mail addresses and examples
  /\S*\/\S*/g, // paths: sheets/deals-template.csv, /d/, /sync
  /--[a-z-]+/g, // the command line's options
  /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*\b/g, // settings and acronyms: CALLTOUCH_TOKEN, API, HTTP, ID
  /\b(?:Calltouch|Google|Cloud|Worker|e-mail)\b/g,
];

Deno.test("both catalogs have the same codes, each of the same kind", () => {
  const ru = codes(CATALOGS.ru);
  const en = codes(CATALOGS.en);
  assert.deepEqual([...en.keys()].sort(), [...ru.keys()].sort());
  for (const [code, value] of ru) {
    assert.equal(typeof en.get(code), typeof value, `${code}: a text in one, a function in other`);
  }
});

Deno.test("every text renders with sample arguments: no undefined, NaN or [object Object]", () => {
  for (const language of LANGUAGES) {
    for (const { code, text } of rendered(language)) {
      assert.ok(text.trim() !== "", `${language} ${code} is empty`);
      assert.doesNotMatch(text, /undefined|NaN|\[object |null/, `${language} ${code}: ${text}`);
    }
  }
});

Deno.test("no text shouts, opens with an error label, or has doubled or trailing spaces", () => {
  for (const language of LANGUAGES) {
    for (const { code, text, own } of rendered(language)) {
      const where = `${language} ${code}: ${JSON.stringify(text)}`;
      assert.doesNotMatch(own, /!/, where);
      assert.doesNotMatch(text, /^\s*(?:ошибка|error)\s*:/i, where);
      assert.doesNotMatch(text, /\S {2,}/, where);
      assert.doesNotMatch(text, /[ \t]$/m, where);
      assert.doesNotMatch(text, /^\s/, where);
    }
  }
});

Deno.test("Russian texts have no English words but settings, identifiers and names", () => {
  for (const { code, own } of rendered("ru")) {
    let rest = own;
    for (const allowed of ALLOWED_LATIN) rest = rest.replace(allowed, " ");
    assert.doesNotMatch(rest, /[A-Za-z]/, `ru ${code}: ${JSON.stringify(rest.trim())}`);
  }
});

Deno.test("English texts have no Cyrillic outside quotes", () => {
  for (const { code, own } of rendered("en")) {
    const rest = own.replace(/«[^»]*»|"[^"]*"|`[^`]*`/g, " ");
    assert.doesNotMatch(rest, /\p{Script=Cyrillic}/u, `en ${code}: ${JSON.stringify(rest)}`);
  }
});

Deno.test("status cells start with ✅, ❌ or ⏳", () => {
  for (const language of LANGUAGES) {
    for (const { code, text } of rendered(language)) {
      if (!code.startsWith("status.") || FRAGMENTS.has(code)) continue;
      assert.match(text, /^(?:✅|❌|⏳) /, `${language} ${code}`);
    }
  }
});

Deno.test("row problems say the cell, what failed and what is expected", () => {
  const expected = { ru: "ожидается", en: "expected" };
  for (const language of LANGUAGES) {
    for (const { code, text } of rendered(language)) {
      if (!code.startsWith("rows.") || FRAGMENTS.has(code) || code === "rows.missingColumns") {
        continue;
      }
      assert.ok(text.startsWith(`${sample(code)![0]}: `), `${language} ${code} names its cell`);
      assert.ok(text.includes(`, ${expected[language]} `), `${language} ${code}: ${text}`);
    }
  }
});

/** Texts that send someone to fix a setting: they name it. */
const NAMES_A_SETTING = [
  "google.tokenKeyRejected",
  "google.tokenAudience",
  "google.tokenAccountMissing",
  "google.keyUnreadable",
  "google.notFound",
  "google.tabMissing",
  "google.unauthenticated",
  "google.budget",
  "calltouch.credentials",
  "calltouch.wrongUrl",
  "journal.token",
  "http.missingToken",
  "cli.verifyNeedsToken",
];

Deno.test("texts that send someone to a setting name it", () => {
  for (const language of LANGUAGES) {
    // With the samples' arguments: a text naming a target's own setting takes its name as one.
    const texts = new Map(rendered(language).map(({ code, text }) => [code, text]));
    for (const code of NAMES_A_SETTING) {
      assert.match(texts.get(code) ?? "", /\b[A-Z]+(?:_[A-Z]+)+\b/, `${language} ${code}`);
    }
    // A refused key or a wrong URL names who acts and what to check, never "did not answer".
    for (const code of ["status.key", "status.url"]) {
      assert.ok(texts.has(code));
      assert.doesNotMatch(texts.get(code)!, /не ответил|did not answer/, `${language} ${code}`);
    }
  }
});

Deno.test("the sheet menu in Code.js speaks the catalog's words, function for function", () => {
  // Code.js is plain script: its table evaluates alone (no helper from outside).
  const table = new Function(`${CODE_JS}\nreturn TEXT;`)() as Record<string, unknown>;
  for (const language of LANGUAGES) {
    const mine = codes(CATALOGS[language].menu, "menu");
    const theirs = codes(table[language], "menu");
    assert.deepEqual([...theirs.keys()].sort(), [...mine.keys()].sort(), language);
    for (const [code, value] of mine) {
      const copy = theirs.get(code);
      if (typeof value === "string") assert.equal(copy, value, `${language} ${code}`);
      else {
        const args = sample(code)!;
        assert.equal(
          (copy as (...a: unknown[]) => string)(...args),
          (value as (...a: unknown[]) => string)(...args),
          `${language} ${code}`,
        );
      }
    }
  }
  assert.ok(CODE_JS.includes("const TEXT = {"), "the generated table is in Code.js");
  assert.match(menuTextSource(), /^\/\*\*[^\n]*\*\/\nconst TEXT = \{\nru: \{/);
});

Deno.test("idDuplicate() lists at most five rows", () => {
  assert.equal(
    words("ru").rows.idDuplicate("A2 (ID)", "7", [2, 3, 4, 5, 6, 7, 8]),
    "A2 (ID): ID сделки «7» повторяется в строках 2, 3, 4, 5, 6 и ещё 2, ожидается свой ID у каждой сделки",
  );
  assert.equal(
    words("en").rows.idDuplicate("A2 (ID)", "7", [2, 9]),
    'A2 (ID): deal ID "7" appears in rows 2, 9, expected a different ID for each deal',
  );
});

Deno.test("values quoted in row problems are masked", () => {
  const text = words("ru").rows.dateInvalid("B5 (Дата)", "+7 915 777-11-22");
  assert.ok(text.includes("«7915***1122»"), text);
});

Deno.test("moreProblems() agrees in number", () => {
  assert.deepEqual([1, 2, 5, 11, 21, 22, 112].map(words("ru").rows.moreProblems), [
    "и ещё 1 ошибка",
    "и ещё 2 ошибки",
    "и ещё 5 ошибок",
    "и ещё 11 ошибок",
    "и ещё 21 ошибка",
    "и ещё 22 ошибки",
    "и ещё 112 ошибок",
  ]);
  assert.deepEqual([1, 3].map(words("en").rows.moreProblems), [
    "and 1 more problem",
    "and 3 more problems",
  ]);
});

Deno.test("languageOf() reads STATUS_LANGUAGE: en is English, anything else Russian", () => {
  assert.equal(languageOf("en"), "en");
  assert.equal(languageOf("ru"), "ru");
  assert.equal(languageOf(undefined), "ru");
  assert.equal(languageOf("EN"), "ru");
});

/**
 * The status cells, word for word (with the samples' arguments): what a clinic reads in its sheet
 * changes only on purpose, in both languages at once.
 */
const STATUS_CELLS = {
  ru: {
    created: "✅ создана 28.11.2026 15:05",
    updated: "✅ обновлена 28.11.2026 15:05",
    rejected:
      "❌ Calltouch не принял сделку: неверный формат суммы. Исправьте строку — мы отправим её снова.",
    refused:
      "❌ Calltouch не принял сделку: сделка уже закрыта. Повторим автоматически через сутки; чтобы отправить раньше, очистите эту ячейку.",
    noReason: "причина не указана",
    unavailable: "⏳ Calltouch не ответил (28.11.2026 15:05), повторим автоматически",
    key:
      "⏳ Calltouch не принял ключ API (28.11.2026 15:05) — проверьте CALLTOUCH_TOKEN, CALLTOUCH_SITE_ID (их задаёт тот, кто настраивал синхронизацию); сделка уйдёт при первом запуске после исправления",
    url:
      "⏳ по адресу API Calltouch нет методов сделок (28.11.2026 15:05) — проверьте CALLTOUCH_API_URL (его задаёт тот, кто настраивал синхронизацию); сделка уйдёт при первом запуске после исправления",
    outOfTime: "⏳ не успели отправить (28.11.2026 15:05), отправим при следующей синхронизации",
    budget:
      "⏳ не уместилась в лимит запросов этого запуска (28.11.2026 15:05), отправим при следующем",
    dailyLimit: "⏳ дневной лимит API Calltouch исчерпан, отправим автоматически после 00:05 МСК",
  },
  en: {
    created: "✅ created 28.11.2026 15:05",
    updated: "✅ updated 28.11.2026 15:05",
    rejected:
      "❌ Calltouch refused the deal: неверный формат суммы. Fix the row and it will be sent again.",
    refused:
      "❌ Calltouch refused the deal: сделка уже закрыта. It will be retried automatically in a day; to send it sooner, clear this cell.",
    noReason: "no reason given",
    unavailable: "⏳ Calltouch did not answer (28.11.2026 15:05), will retry automatically",
    key:
      "⏳ Calltouch refused the API key (28.11.2026 15:05) — check CALLTOUCH_TOKEN, CALLTOUCH_SITE_ID (set by whoever set up the sync); the deal goes on the first run after the fix",
    url:
      "⏳ there are no Calltouch deals methods at the API address (28.11.2026 15:05) — check CALLTOUCH_API_URL (set by whoever set up the sync); the deal goes on the first run after the fix",
    outOfTime: "⏳ not sent in time (28.11.2026 15:05), will be sent on the next sync",
    budget: "⏳ over this run's request limit (28.11.2026 15:05), will be sent on the next sync",
    dailyLimit: "⏳ Calltouch's daily API limit is spent, will be sent after 00:05 Moscow time",
  },
};

Deno.test("status cells read word for word as agreed", () => {
  for (const language of LANGUAGES) {
    const texts = Object.fromEntries(
      rendered(language).filter(({ code }) => code.startsWith("status.")).map((
        { code, text },
      ) => [code.slice("status.".length), text]),
    );
    assert.deepEqual(texts, STATUS_CELLS[language]);
  }
});
