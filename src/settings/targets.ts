/**
 * Several tabs, sheets and Calltouch projects in one deployment: the `TARGETS` setting, a JSON
 * list of targets, each read as the single-target settings it stands for. Without `TARGETS`
 * the settings themselves are the one target (id "default"): existing deployments see no change.
 *
 * @example TARGETS in wrangler.toml [vars] (one line or a multi-line TOML string):
 * [{"id": "filial1", "spreadsheet": "1Abc…", "tab": "Сделки", "calltouchSiteId": "12345",
 *   "calltouchTokenSecret": "CALLTOUCH_TOKEN_FILIAL1"},
 *  {"id": "filial2", "spreadsheet": "1Abc…", "tab": "Филиал 2", "calltouchSiteId": "67890",
 *   "calltouchTokenSecret": "CALLTOUCH_TOKEN_FILIAL2", "CUSTOM_SOURCE": "офлайн-визит-2",
 *   "syncTokenSecret": "SYNC_TOKEN_FILIAL2"}]
 */
import { type Config, ConfigError, loadConfig, type SettingsEnv } from "./config.ts";
import * as z from "zod/mini";
import { setting, SETTINGS } from "./table.ts";

/** The id of the one target a deployment without `TARGETS` has. */
export const DEFAULT_TARGET = "default";

/**
 * One target: its id, the settings of a single-target deployment that it stands for, and those
 * settings read (once per tick: every run of the tick takes them from here).
 */
export interface TargetSettings {
  id: string;
  env: SettingsEnv;
  /**
   * The settings read; a deployment without `TARGETS` is its one target even when they cannot
   * be used (its runs then report why), so it may hold the error instead.
   */
  config: Config | ConfigError;
}

/** Settings a target may override (the rest are the deployment's). */
export const TARGET_OVERRIDES: readonly string[] = SETTINGS.filter((s) => s.target === "override")
  .map((s) => s.name);

/** A target's own fields, and the setting each one stands for (see the settings table). */
const TARGET_FIELDS: Readonly<Record<string, string>> = Object.fromEntries(
  SETTINGS.flatMap((s) =>
    typeof s.target === "object" && "field" in s.target ? [[s.target.field, s.name]] : []
  ),
);
/**
 * Fields naming the secret that holds a credential (the credential never sits in TARGETS); a
 * target without one has none, or the deployment's when the setting `inherits`.
 */
const SECRET_FIELDS: Readonly<
  Record<string, { setting: string; required: boolean; inherits: boolean }>
> = Object.fromEntries(
  SETTINGS.flatMap((s) =>
    typeof s.target === "object" && "secretField" in s.target
      ? [[s.target.secretField, {
        setting: s.name,
        required: s.target.required ?? false,
        inherits: s.target.inherits ?? false,
      }]]
      : []
  ),
);

/**
 * The field naming the secret that holds a target's own key (its panel, menu and routes; see
 * {@linkcode targetKeys}): the `SYNC_TOKEN` entry's in the settings table. An HTTP credential,
 * not a setting of the run: the target runs without it.
 */
const KEY_FIELD = (() => {
  const role = SETTINGS.find((s) => s.name === "SYNC_TOKEN")?.target;
  return typeof role === "object" && "keyField" in role ? role.keyField : "syncTokenSecret";
})();

const ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const SECRET_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;

/** The targets that can run, and what is wrong with the others (one line each, named). */
export interface Targets {
  targets: TargetSettings[];
  /** Every problem of `TARGETS` and of each target left out; empty when all are fine. */
  problems: string[];
}

/**
 * The deployment's targets, each with the settings it runs with. A target with a problem is
 * left out (the others still run) and every problem of every target (and of `TARGETS` itself)
 * is listed, each line naming its target; the secrets' values never appear.
 */
export function loadTargets(env: SettingsEnv): Targets {
  const raw = typeof env.TARGETS === "string" ? env.TARGETS.trim() : "";
  if (!raw) {
    return { targets: [{ id: DEFAULT_TARGET, env, config: configOrError(env) }], problems: [] };
  }
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    return {
      targets: [],
      problems: [
        'TARGETS is not valid JSON: expected a list like [{"id": "filial1", "spreadsheet": …}]',
      ],
    };
  }
  if (!Array.isArray(list) || list.length === 0) {
    return { targets: [], problems: ["TARGETS must be a non-empty JSON list of targets"] };
  }
  const problems: string[] = [];
  const targets: TargetSettings[] = [];
  const ids = new Set<string>();
  const places = new Map<string, string>();
  list.forEach((item, i) => {
    const name = typeof item?.id === "string" ? `TARGETS "${item.id}"` : `TARGETS[${i}]`;
    let ok = true;
    const problem = (text: string) => {
      ok = false;
      problems.push(`${name}: ${text}`);
    };
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      problem("expected an object");
      return;
    }
    const target = item as Record<string, unknown>;
    const id = target.id;
    if (typeof id !== "string" || !ID.test(id)) {
      problem("id must be 1–40 characters of a-z, 0-9, - and _, starting with a letter or digit");
    } else if (ids.has(id)) problem("the id is used twice");
    else ids.add(id);
    const own: SettingsEnv = { ...env, TARGETS: undefined };
    for (const [field, setting] of Object.entries(TARGET_FIELDS)) {
      const value = target[field];
      if (value === undefined) own[setting] = undefined;
      else if (typeof value === "string") own[setting] = value;
      else problem(`${field} must be a string`);
    }
    for (const [field, { setting, required, inherits }] of Object.entries(SECRET_FIELDS)) {
      const secret = target[field];
      if (secret === undefined) {
        if (!inherits) own[setting] = undefined;
        if (required) problem(`${field} is missing: name the secret`);
      } else if (typeof secret !== "string" || !SECRET_NAME.test(secret)) {
        problem(`${field} must name a secret, e.g. "CALLTOUCH_TOKEN_FILIAL2"`);
      } else if (typeof env[secret] !== "string" || !(env[secret] as string).trim()) {
        problem(
          `the secret ${secret} (${field}) is not set: deno task wrangler secret put ${secret}`,
        );
      } else own[setting] = env[secret];
    }
    const keySecret = target[KEY_FIELD];
    if (
      keySecret !== undefined && (typeof keySecret !== "string" || !SECRET_NAME.test(keySecret))
    ) {
      problem(`${KEY_FIELD} must name a secret, e.g. "SYNC_TOKEN_FILIAL2"`);
    }
    for (const [key, value] of Object.entries(target)) {
      if (key === "id" || key === KEY_FIELD || key in TARGET_FIELDS || key in SECRET_FIELDS) {
        continue;
      }
      if (!(TARGET_OVERRIDES as readonly string[]).includes(key)) {
        problem(
          `unknown field "${key}" (a target has id, ${
            [...Object.keys(TARGET_FIELDS), ...Object.keys(SECRET_FIELDS), KEY_FIELD].join(", ")
          } and may override ${TARGET_OVERRIDES.join(", ")})`,
        );
      } else if (typeof value !== "string") problem(`${key} must be a string`);
      else own[key] = value;
    }
    let config: Config | undefined;
    try {
      config = loadConfig(own);
      if (typeof id === "string") config.origin = { target: id, names: namesOf(id, target) };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      for (const line of error.problems) problem(line);
    }
    if (config && typeof id === "string") {
      const place = `${config.spreadsheetId}\n${
        config.sheetName ?? ""
      }\n${config.calltouch.siteId}`;
      const other = places.get(place);
      if (other) {
        problem(`the same tab and Calltouch project as "${other}": two syncs would race`);
      } else places.set(place, id);
    }
    if (ok && config && typeof id === "string") targets.push({ id, env: own, config });
  });
  return { targets, problems };
}

/** How a target names the settings it sets itself (see `settingName`). */
function namesOf(id: string, target: Record<string, unknown>): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [field, setting] of Object.entries(TARGET_FIELDS)) {
    if (target[field] !== undefined) names[setting] = `${field} (TARGETS "${id}")`;
  }
  for (const [field, { setting }] of Object.entries(SECRET_FIELDS)) {
    if (typeof target[field] === "string") names[setting] = String(target[field]);
  }
  for (const name of TARGET_OVERRIDES) {
    if (target[name] !== undefined) names[name] = `${name} (TARGETS "${id}")`;
  }
  return names;
}

/** The settings of `env` read, or why they cannot be used. */
export function configOrError(env: SettingsEnv): Config | ConfigError {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
}

/** The lines of `problems` about target `id` (see {@linkcode loadTargets}). */
export function problemsOf(problems: readonly string[], id: string): string[] {
  return problems.filter((problem) => problem.startsWith(`TARGETS "${id}":`));
}

/**
 * The secret names a `TARGETS` text refers to (none when it is not a list): what a settings
 * reader that only takes known names must take as well.
 */
export function targetSecretNames(raw: string | undefined): string[] {
  let list: unknown;
  try {
    list = JSON.parse(raw ?? "[]");
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  return list.flatMap((target) =>
    Object.keys(SECRET_FIELDS)
      .map((field) => target?.[field])
      .filter((name): name is string => typeof name === "string" && SECRET_NAME.test(name))
  );
}

/** A target's own key: the secret its `syncTokenSecret` names, and the key that secret holds. */
export interface TargetKey {
  id: string;
  secret: string;
  key: string;
}

/** The keys of the targets, and why some targets have none (see {@linkcode targetKeys}). */
export interface TargetKeys {
  keys: TargetKey[];
  /** One line per key that cannot be used, naming its target (as {@linkcode loadTargets}). */
  problems: string[];
}

/** What is wrong with a key, by SYNC_TOKEN's rule (the settings table), or undefined. */
function keyProblem(key: string): string | undefined {
  const parsed = z.safeParse(setting("SYNC_TOKEN").schema, key);
  return parsed.success ? undefined : parsed.error.issues[0]?.message ?? "is invalid";
}

/**
 * Each target's own key (`syncTokenSecret`: the secret holding the key of that clinic's panel,
 * menu and routes), whether or not the target itself can run; `SYNC_TOKEN` stays the
 * deployment's admin key. A key that cannot be used (its secret unset, too short, equal to
 * `SYNC_TOKEN`, or the same value as another target's secret: one key would open both) is left
 * out and named in `problems`; such a target is opened by `SYNC_TOKEN` alone and still runs.
 * Targets naming the same secret share one key on purpose (e.g. two tabs of one spreadsheet).
 *
 * @example
 * targetKeys({ TARGETS: '[{"id": "a", …, "syncTokenSecret": "SYNC_TOKEN_A"}]', SYNC_TOKEN_A: "…" });
 * // { keys: [{ id: "a", secret: "SYNC_TOKEN_A", key: "…" }], problems: [] }
 */
export function targetKeys(env: SettingsEnv): TargetKeys {
  let list: unknown;
  try {
    list = JSON.parse(typeof env.TARGETS === "string" && env.TARGETS.trim() ? env.TARGETS : "[]");
  } catch {
    return { keys: [], problems: [] }; // loadTargets names the problem
  }
  if (!Array.isArray(list)) return { keys: [], problems: [] };
  const admin = typeof env.SYNC_TOKEN === "string" ? env.SYNC_TOKEN.trim() : "";
  const problems: string[] = [];
  const candidates: TargetKey[] = [];
  for (const item of list) {
    const id = item?.id;
    const secret = item?.[KEY_FIELD];
    if (typeof id !== "string" || !ID.test(id)) continue;
    if (typeof secret !== "string" || !SECRET_NAME.test(secret)) continue;
    const problem = (text: string) => problems.push(`TARGETS "${id}": ${text}`);
    const raw = env[secret];
    const key = typeof raw === "string" ? raw.trim() : "";
    if (!key) {
      problem(
        `the secret ${secret} (${KEY_FIELD}) is not set: deno task wrangler secret put ${secret} ` +
          "(until then only SYNC_TOKEN opens this target)",
      );
    } else if (keyProblem(key) !== undefined) {
      problem(`the secret ${secret} (${KEY_FIELD}) ${keyProblem(key)}`);
    } else if (key === admin) {
      problem(
        `the secret ${secret} (${KEY_FIELD}) holds SYNC_TOKEN, the admin key: give the ` +
          "clinic a key of its own",
      );
    } else candidates.push({ id, secret, key });
  }
  // One value under two secret names is a copy-paste slip: it would open both clinics.
  const keys = candidates.filter((candidate) => {
    const twins = candidates.filter((other) =>
      other.key === candidate.key && other.secret !== candidate.secret
    );
    if (twins.length === 0) return true;
    problems.push(
      `TARGETS "${candidate.id}": the secret ${candidate.secret} (${KEY_FIELD}) holds the same ` +
        `key as ${twins.map((twin) => twin.secret).join(", ")}: one key would open several ` +
        `clinics; give each its own, or name the same secret in targets that share a key`,
    );
    return false;
  });
  return { keys, problems };
}
