/**
 * Wire types of the Calltouch deals API (lead-service v1, `client-order/create` and `/update`):
 * what we send and what we accept back.
 *
 * @see https://www.calltouch.ru/support/api-metod-sozdaniya-sdelok
 * @see https://www.calltouch.ru/support/api-metod-obnovleniya-sdelok
 */

/** How Calltouch picks the lead a contact matches (`callTypeToMatch` / `requestTypeToMatch`). */
export type MatchMode = "nearest" | "nearestUniq" | "nearestUniqLead";

/** Every {@linkcode MatchMode}. */
export const MATCH_MODES: readonly MatchMode[] = ["nearest", "nearestUniq", "nearestUniqLead"];

/** source / medium / campaign of the `customSources` matching fallback. */
export interface CustomSource {
  source: string;
  medium: string;
  campaign: string;
}

/** Most orders in one request (Calltouch's documented batch limit). */
export const CALLTOUCH_BATCH_SIZE = 100;

/** A Calltouch date-time: `dd-MM-yyyy HH:mm:ss`, the project's wall clock, no zone. */
export type CtDateTime = string;

/** Money as Calltouch takes it: a decimal string with a dot, e.g. `"1000.00"`. */
export type CtMoney = string;

/** One tag, in both tag shapes. */
export interface Tag {
  tag: string;
}

/** The object form of tags, used by update: `overwrite: true` replaces the deal's tag set. */
export interface TagSet {
  overwrite: boolean;
  tags: Tag[];
}

/** `callContact` matching: find a call from one of `phones` near `date`. */
export interface CallContactMatching {
  type: "callContact";
  callContactParams: {
    phones: string[];
    date: CtDateTime;
    callTypeToMatch: MatchMode;
    /** Minutes. */
    searchDepth: number;
  };
}

/** `requestContact` matching: find a web request by e-mail or phone near `date`. */
export interface RequestContactMatching {
  type: "requestContact";
  requestContactParams: {
    /** Omitted when the deal has no e-mails. */
    emails?: string[];
    /** Omitted when the deal has no phones. */
    phones?: string[];
    date: CtDateTime;
    requestTypeToMatch: MatchMode;
    /** Minutes. */
    searchDepth: number;
  };
}

/** `customSources` matching: the fallback that gives the deal a fixed source. */
export interface CustomSourcesMatching {
  type: "customSources";
  customSourceParams: { source: string; medium: string; campaign: string };
}

/** One entry of `matching` / `reMatching`; the array's order is the priority. */
export type Matching = CallContactMatching | RequestContactMatching | CustomSourcesMatching;

/** One order of a create request. */
export interface CreateOrder {
  matching: Matching[];
  orderNumber: string;
  status: string;
  statusDate: CtDateTime;
  orderDate: CtDateTime;
  revenue?: CtMoney;
  /** The pipeline's name. */
  funnel?: string;
  margin?: CtMoney;
  /** The deal in the CRM: the link to its row in the spreadsheet. */
  orderLink?: string;
  /** Create takes the flat array form. */
  addTags?: Tag[];
  manager?: string;
  orderName?: string;
  comment?: { text: string };
  /** Deal custom fields configured in Calltouch (`CUSTOM_FIELDS`). */
  customFields?: CustomField[];
}

/** One deal custom field: its API name in Calltouch, and the value. */
export interface CustomField {
  field: string;
  value: string;
}

/** One order of an update request: only what can change. */
export interface UpdateOrder {
  orderNumber: string;
  status: string;
  statusDate: CtDateTime;
  /** When the deal changed (the moment of the update). */
  updateDate?: CtDateTime;
  revenue?: CtMoney;
  funnel?: string;
  margin?: CtMoney;
  orderLink?: string;
  /** Update takes the object form, `overwrite: true`; sent only when the sheet's tags changed. */
  addTags?: TagSet;
  /** Sent only when the sheet's custom fields changed. */
  customFields?: CustomField[];
  manager?: string;
  orderName?: string;
  /** Re-links the deal to a lead; sent only when contacts or the deal date changed. */
  reMatching?: Matching[];
}

/** Body of `POST /lead-service/v1/api/client-order/create` (at most 100 orders). */
export interface CreateRequest {
  crm: string;
  orders: CreateOrder[];
}

/** Body of `POST /lead-service/v1/api/client-order/update` (at most 100 orders). */
export interface UpdateRequest {
  orders: UpdateOrder[];
}

/**
 * One per-order result inside a 2xx answer, as far as anything is known: positional or keyed by
 * `orderNumber`; `error` null/absent on success, else a string or an object of unknown shape.
 */
export interface OrderResult {
  orderNumber?: string | number | null;
  calltouchOrderId?: number | string | null;
  error?: unknown;
  [key: string]: unknown;
}

/** A 2xx answer: `{"meta":{},"data":{"orders":[…]}}`. */
export interface OrdersResponse {
  meta?: unknown;
  data: { orders: unknown[]; [key: string]: unknown };
  [key: string]: unknown;
}

/** A whole-request refusal (400): `{"meta":{},"data":{"validationErrorData":[…]}}`. */
export interface ValidationErrorResponse {
  meta?: unknown;
  data: { validationErrorData: unknown; [key: string]: unknown };
}
