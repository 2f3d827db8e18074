/**
 * Runs `sheets/apps-script/Code.js` under Deno: loads the very file pasted into Apps Script
 * (plain script, no modules) and hands it small fakes of the Apps Script services that record
 * everything the script does: menus, dialogs, prompts, toasts, HTTP requests, properties, and
 * any attempt to touch the spreadsheet beyond a toast.
 */

const CODE_URL = new URL("../../../sheets/apps-script/Code.js", import.meta.url);

/** The Apps Script source, as pasted into the editor. */
export const CODE_JS = await Deno.readTextFile(CODE_URL);

/** The functions of Code.js the tests call: the entry points plus a few pure helpers. */
export interface MenuScript {
  onOpen(): void;
  menuSync(): void;
  menuDryRun(): void;
  menuRetryHeld(): void;
  menuSettings(): void;
  normalizeWorkerUrl_(text: string): string | null;
}

const EXPORTED: (keyof MenuScript)[] = [
  "onOpen",
  "menuSync",
  "menuDryRun",
  "menuRetryHeld",
  "menuSettings",
  "normalizeWorkerUrl_",
];

/** One `UrlFetchApp.fetch` call. */
export interface FetchCall {
  url: string;
  params: {
    method?: string;
    headers?: Record<string, string>;
    muteHttpExceptions?: boolean;
    followRedirects?: boolean;
    payload?: unknown;
  };
}

/** What the fake `UrlFetchApp` answers: a response, or an error it throws (network failure). */
export type FetchAnswer =
  | { status: number; body: string; headers?: Record<string, string> }
  | { throws: string };

/** A button the user clicks in a prompt. */
export type PromptAnswer = { button: "OK" | "CANCEL" | "CLOSE"; text?: string };

/** Everything the script showed or did, in order. */
export interface Recording {
  menus: { caption: string; items: (string | [label: string, fn: string])[] }[];
  alerts: { title: string; text: string }[];
  prompts: { title: string; text: string }[];
  toasts: { text: string; title: string; seconds?: number }[];
  requests: FetchCall[];
  /** Which property stores were opened: "script", "user" or "document". */
  propertyStores: string[];
  /** Any spreadsheet/sheet/range call other than `toast` (the token must never reach a cell). */
  sheetCalls: string[];
}

/** Options of {@linkcode fakeAppsScript}. */
export interface FakeAppsScriptOptions {
  /** Initial script properties. */
  properties?: Record<string, string>;
  /** Answers to `ui.prompt`, in order; running out fails the test. */
  prompts?: PromptAnswer[];
  /** Answers the fake `UrlFetchApp`; default: every request fails as unreachable. */
  fetch?: (call: FetchCall) => FetchAnswer;
  /** The spreadsheet's id and the tab the user is on (names only: no cell is read). */
  spreadsheetId?: string;
  activeTab?: string;
}

/** The fake spreadsheet's id and active tab when the options do not say. */
export const FAKE_SPREADSHEET_ID = "1FakeSheet_abcdefghijklmnopqrstuvwxyz0123456";
export const FAKE_TAB = "Сделки";

/** A loaded Code.js wired to fakes, with what it recorded and the properties it left. */
export interface FakeAppsScript {
  script: MenuScript;
  recording: Recording;
  properties: Map<string, string>;
  /** Every text the user could see: alerts, prompts, toasts, menu labels. */
  shownTexts(): string[];
}

const BUTTON = { OK: { name: "OK" }, CANCEL: { name: "CANCEL" }, CLOSE: { name: "CLOSE" } };
const BUTTON_SET = { OK: { name: "OK" }, OK_CANCEL: { name: "OK_CANCEL" } };

/** Loads Code.js with fake `SpreadsheetApp`, `UrlFetchApp` and `PropertiesService`. */
export function fakeAppsScript(options: FakeAppsScriptOptions = {}): FakeAppsScript {
  const recording: Recording = {
    menus: [],
    alerts: [],
    prompts: [],
    toasts: [],
    requests: [],
    propertyStores: [],
    sheetCalls: [],
  };
  const properties = new Map(Object.entries(options.properties ?? {}));
  const prompts = [...(options.prompts ?? [])];

  const ui = {
    Button: BUTTON,
    ButtonSet: BUTTON_SET,
    createMenu(caption: string) {
      const menu = { caption, items: [] as Recording["menus"][number]["items"] };
      const builder = {
        addItem(label: string, fn: string) {
          menu.items.push([label, fn]);
          return builder;
        },
        addSeparator() {
          menu.items.push("separator");
          return builder;
        },
        addToUi() {
          recording.menus.push(menu);
        },
      };
      return builder;
    },
    alert(title: string, text?: string, buttons?: unknown) {
      if (text === undefined || buttons === undefined) {
        throw new Error("alert(title, prompt, buttons) expected");
      }
      recording.alerts.push({ title, text });
      return BUTTON.OK;
    },
    prompt(title: string, text: string, buttons: unknown) {
      if (buttons !== BUTTON_SET.OK_CANCEL) throw new Error("prompt with OK_CANCEL expected");
      recording.prompts.push({ title, text });
      const answer = prompts.shift();
      if (!answer) throw new Error(`unexpected prompt: ${title}`);
      return {
        getSelectedButton: () => BUTTON[answer.button],
        getResponseText: () => answer.text ?? "",
      };
    },
  };

  const recordingProxy = (path: string): unknown =>
    new Proxy(() => {}, {
      get: (_target, prop) => {
        if (typeof prop === "symbol") return undefined;
        return (...args: unknown[]) => {
          recording.sheetCalls.push(`${path}.${prop}(${args.map((a) => JSON.stringify(a))})`);
          return recordingProxy(`${path}.${prop}()`);
        };
      },
    });
  const spreadsheet = new Proxy({}, {
    get: (_target, prop) => {
      if (prop === "toast") {
        return (text: string, title: string, seconds?: number) => {
          recording.toasts.push({ text, title, seconds });
        };
      }
      // Which sheet and tab the menu was used in: names, no cell.
      if (prop === "getId") return () => options.spreadsheetId ?? FAKE_SPREADSHEET_ID;
      if (prop === "getActiveSheet") {
        return () => ({ getName: () => options.activeTab ?? FAKE_TAB });
      }
      return (recordingProxy("spreadsheet") as Record<string | symbol, unknown>)[prop];
    },
  });

  const store = (name: string) => {
    recording.propertyStores.push(name);
    return {
      getProperty: (key: string) => properties.get(key) ?? null,
      setProperty(key: string, value: string) {
        properties.set(key, String(value));
        return this;
      },
      setProperties(values: Record<string, string>) {
        for (const [key, value] of Object.entries(values)) properties.set(key, String(value));
        return this;
      },
      deleteProperty(key: string) {
        properties.delete(key);
        return this;
      },
    };
  };

  const fetcher = options.fetch ?? ((call) => ({ throws: `DNS error: ${call.url}` }));
  const globals = {
    SpreadsheetApp: {
      getUi: () => ui,
      getActiveSpreadsheet: () => spreadsheet,
      getActive: () => spreadsheet,
      getActiveSheet: () => recordingProxy("SpreadsheetApp.getActiveSheet()"),
      getActiveRange: () => recordingProxy("SpreadsheetApp.getActiveRange()"),
    },
    UrlFetchApp: {
      fetch(url: string, params: FetchCall["params"] = {}) {
        const call = { url, params: structuredClone(params) };
        recording.requests.push(call);
        const answer = fetcher(call);
        if ("throws" in answer) throw new Error(answer.throws);
        return {
          getResponseCode: () => answer.status,
          getContentText: () => answer.body,
          getHeaders: () => ({ ...answer.headers }),
        };
      },
    },
    PropertiesService: {
      getScriptProperties: () => store("script"),
      getUserProperties: () => store("user"),
      getDocumentProperties: () => store("document"),
    },
  };

  const script = loadCodeJs(globals);
  return {
    script,
    recording,
    properties,
    shownTexts: () => [
      ...recording.alerts.flatMap((a) => [a.title, a.text]),
      ...recording.prompts.flatMap((p) => [p.title, p.text]),
      ...recording.toasts.flatMap((t) => [t.title, t.text]),
      ...recording.menus.flatMap((m) => [m.caption, ...m.items.flat()]),
    ],
  };
}

/**
 * Evaluates Code.js as Apps Script does (one script scope, no modules), with the given objects
 * standing in for the Apps Script globals.
 */
function loadCodeJs(globals: Record<string, unknown>): MenuScript {
  const names = Object.keys(globals);
  const factory = new Function(
    ...names,
    `"use strict";\n${CODE_JS}\n;return { ${EXPORTED.join(", ")} };`,
  );
  return factory(...names.map((n) => globals[n])) as MenuScript;
}

/** A JSON response (the Worker states its language in `Content-Language`). */
export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): FetchAnswer {
  return { status, body: JSON.stringify(body), headers };
}
