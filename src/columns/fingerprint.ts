/**
 * Fingerprints of deals: short hashes that tell whether a deal changed since it was last sent,
 * without keeping what it contained (KV must never hold phones or e-mails). Derived from the
 * column table by key, never by position: every column of a deal enters, so a field that reaches
 * a payload is fingerprinted by construction, and reordering the table changes nothing stored.
 *
 * The layout is the one the first versions stored, named: the matching inputs of the first
 * version ({@linkcode FIRST_MATCHING}), then the other columns of the first version
 * ({@linkcode FIRST_REST}), each always present, in that order. Every column added since enters
 * as `key=value`, only when it has a value (sorted by key), and custom fields as
 * `custom.<field>=value` (in the sheet's column order): adding a column changes no stored
 * fingerprint of a deal that leaves it empty.
 *
 * The text is hashed under the deployment's key (SipHash-2-4, see `util/hash.ts`): a stored
 * fingerprint cannot be tested against guessed phones without it. Under `LEGACY` (cyrb53,
 * unkeyed) it is what builds before issue 22 stored: used only to recognise those.
 */
import type { Deal } from "../deal.ts";
import { type HashKey, hashText } from "../util/hash.ts";
import { DEAL_COLUMNS } from "./deal_columns.ts";
import type { AnyDealColumn, DealField } from "./spec.ts";

// Separators that cannot occur in trimmed cell text, so different deals cannot collide by
// shifting text between fields or between the items of a list.
const FIELD = "\u001f";
const ITEM = "\u001e";

/** The first version's matching inputs, in the order its fingerprints hold them. Frozen. */
export const FIRST_MATCHING: readonly DealField[] = ["orderDate", "phones", "emails"];
/** The first version's other columns, in the order its fingerprints hold them. Frozen. */
export const FIRST_REST: readonly DealField[] = [
  "status",
  "statusDate",
  "revenue",
  "tags",
  "manager",
  "orderName",
  "comment",
];

function text(value: unknown): string {
  if (value === undefined) return "";
  return Array.isArray(value) ? value.join(ITEM) : String(value);
}

function valueOf(column: AnyDealColumn, deal: Deal): string {
  return text(column.print ? column.print(deal) : deal[column.key]);
}

// Loops below are indexed: they run for every deal, most of them before V8 optimises them, and
// there `for…of` allocates an iterator result per column.
function named(print: string, columns: readonly AnyDealColumn[], deal: Deal): string {
  for (let i = 0; i < columns.length; i++) {
    const value = valueOf(columns[i], deal);
    if (value !== "") print += `${FIELD}${columns[i].key}=${value}`;
  }
  return print;
}

const sorted = (columns: readonly AnyDealColumn[]) =>
  [...columns].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/** The two fingerprints of a deal, for a column table. */
export interface Fingerprints {
  /**
   * Fingerprint of everything that is sent for a deal (the sheet row number excluded: sorting
   * the sheet changes nothing), hashed under `key`. `salt` holds what else changes every date
   * sent (the Calltouch project's zone, when it is not the sheet's).
   */
  fingerprint(deal: Deal, key: HashKey, salt?: string): string;
  /**
   * Fingerprint of the matching inputs only (the deal date, phones, e-mails), under `key`: when
   * it changes, an update carries `reMatching`.
   */
  matchingFingerprint(deal: Deal, key: HashKey, salt?: string): string;
  /** The text {@linkcode Fingerprints.fingerprint} hashes (never stored: it holds contacts). */
  fingerprintText(deal: Deal, salt?: string): string;
  /** The text {@linkcode Fingerprints.matchingFingerprint} hashes (never stored either). */
  matchingText(deal: Deal, salt?: string): string;
  /**
   * Both texts at once: the matching text is the start of the other, so it is built once (the
   * plan hashes the first only for deals it sends).
   */
  texts(deal: Deal, salt?: string): { matching: string; fingerprint: string };
}

/**
 * The fingerprints of a column table: the first version's columns in their frozen places, every
 * other column by key. Only the keys of `columns` count, never their order.
 */
export function fingerprinter(columns: readonly AnyDealColumn[]): Fingerprints {
  const byKey = (key: DealField) => {
    const column = columns.find((c) => c.key === key);
    if (!column) throw new TypeError(`fingerprinter(): no column ${key}`);
    return column;
  };
  const first = new Set<DealField>([...FIRST_MATCHING, ...FIRST_REST, "orderNumber"]);
  const matching = FIRST_MATCHING.map(byKey);
  const rest = FIRST_REST.map(byKey);
  const laterMatching = sorted(columns.filter((c) => c.matching && !first.has(c.key)));
  const laterRest = sorted(columns.filter((c) => !c.matching && !first.has(c.key)));
  const matchingText = (deal: Deal, salt = "") => {
    let print = valueOf(matching[0], deal);
    for (let i = 1; i < matching.length; i++) print += FIELD + valueOf(matching[i], deal);
    print = named(print, laterMatching, deal);
    return salt === "" ? print : `${print}${FIELD}${salt}`;
  };
  /** The fingerprint's text, which starts with the matching text. */
  const after = (matching: string, deal: Deal) => {
    let print = matching;
    for (let i = 0; i < rest.length; i++) print += FIELD + valueOf(rest[i], deal);
    print = named(print, laterRest, deal);
    for (const field in deal.custom) print += `${FIELD}custom.${field}=${deal.custom[field]}`;
    return print;
  };
  const fingerprintText = (deal: Deal, salt = "") => after(matchingText(deal, salt), deal);
  return {
    fingerprint: (deal, key, salt) => hashText(key, fingerprintText(deal, salt)),
    matchingFingerprint: (deal, key, salt) => hashText(key, matchingText(deal, salt)),
    fingerprintText,
    matchingText,
    texts: (deal, salt) => {
      const matching = matchingText(deal, salt);
      return { matching, fingerprint: after(matching, deal) };
    },
  };
}

const TABLE_PRINTS = fingerprinter(DEAL_COLUMNS);

/**
 * Fingerprint of everything that is sent for a deal (see {@linkcode Fingerprints}).
 *
 * @example
 * if (fingerprint(deal, keys.current.hash) !== stored.fingerprint) planUpdate(deal);
 */
export const fingerprint: Fingerprints["fingerprint"] = TABLE_PRINTS.fingerprint;

/** Fingerprint of the matching inputs only (see {@linkcode Fingerprints}). */
export const matchingFingerprint: Fingerprints["matchingFingerprint"] =
  TABLE_PRINTS.matchingFingerprint;

/** The text a fingerprint hashes (see {@linkcode Fingerprints}). */
export const fingerprintText: Fingerprints["fingerprintText"] = TABLE_PRINTS.fingerprintText;

/** The text a matching fingerprint hashes (see {@linkcode Fingerprints}). */
export const matchingText: Fingerprints["matchingText"] = TABLE_PRINTS.matchingText;

/** Both texts at once (see {@linkcode Fingerprints.texts}). */
export const fingerprintTexts: Fingerprints["texts"] = TABLE_PRINTS.texts;
