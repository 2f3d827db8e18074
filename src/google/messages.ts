/**
 * Texts of the Google-side errors that a clinic administrator or the integrator must act on, in
 * every supported language. Private to `src/google/`; each function names what failed, the
 * value, and what to do.
 */
import type { Language } from "../deal.ts";

/** Longest piece of a Google message quoted in ours. */
const MAX_QUOTED = 300;
/** Most tab titles listed when a tab is missing. */
const MAX_TABS_LISTED = 20;

/** Shortens text taken from a remote answer before it is quoted in a message. */
export function quoted(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_QUOTED ? `${flat.slice(0, MAX_QUOTED)}…` : flat;
}

function tabList(tabs: readonly string[], language: Language): string {
  if (tabs.length === 0) {
    return language === "ru" ? "в таблице нет листов" : "the spreadsheet has no tabs";
  }
  const shown = tabs.slice(0, MAX_TABS_LISTED).map((t) => `«${t}»`).join(", ");
  const more = tabs.length > MAX_TABS_LISTED
    ? (language === "ru"
      ? ` и ещё ${tabs.length - MAX_TABS_LISTED}`
      : ` and ${tabs.length - MAX_TABS_LISTED} more`)
    : "";
  return (language === "ru" ? "есть листы: " : "existing tabs: ") + shown + more;
}

/** The texts, by language. */
export const messages = {
  ru: {
    tokenKeyRejected: (email: string) =>
      `Google не принял подпись ключа сервисного аккаунта ${email}: ключ удалён или отозван. ` +
      "Создайте новый JSON-ключ и обновите секрет GOOGLE_SERVICE_ACCOUNT.",
    tokenClock: () =>
      "Google отклонил запрос токена: время сервера расходится с точным временем (iat/exp в JWT). " +
      "Проверьте часы сервера и повторите.",
    tokenAudience: (tokenUrl: string) =>
      `Google отклонил запрос токена: неверный адрес получателя (aud) «${tokenUrl}». ` +
      "Проверьте GOOGLE_TOKEN_URL (по умолчанию https://oauth2.googleapis.com/token).",
    tokenAccountMissing: (email: string) =>
      `Сервисный аккаунт ${email} не найден в Google: он удалён или отключён. ` +
      "Создайте ключ заново и обновите секрет GOOGLE_SERVICE_ACCOUNT.",
    tokenScope: () =>
      "Google не разрешил сервисному аккаунту доступ к Google Таблицам (scope). " +
      "Проверьте, что Google Sheets API включён в проекте Google Cloud.",
    tokenRefused: (status: number, code: string, description: string) =>
      `Google не выдал токен доступа (HTTP ${status}, ${code}${
        description ? `: ${description}` : ""
      }).`,
    tokenUnavailable: (status: number | undefined) =>
      `Сервис авторизации Google временно недоступен${status ? ` (HTTP ${status})` : ""}; ` +
      "повторим при следующем запуске.",
    tokenMalformed: () => "Сервис авторизации Google вернул непонятный ответ без токена доступа.",
    keyUnreadable: () =>
      "GOOGLE_SERVICE_ACCOUNT: закрытый ключ (private_key) не читается как ключ RSA в формате PKCS#8; " +
      "вставьте содержимое JSON-файла ключа целиком.",
    notShared: (email: string) =>
      `Нет доступа к таблице: откройте доступ для сервисного аккаунта ${email} с правами «Редактор» ` +
      "(Настройки доступа → добавить этот адрес) и повторите.",
    apiDisabled: () =>
      "Google Sheets API не включён в проекте Google Cloud сервисного аккаунта: " +
      "включите его в консоли Google Cloud (APIs & Services → Library → Google Sheets API).",
    notFound: (spreadsheetId: string) =>
      `Таблица «${spreadsheetId}» не найдена: проверьте SPREADSHEET_ID ` +
      "(идентификатор из адреса таблицы между /d/ и /edit).",
    tabMissing: (title: string, tabs: readonly string[]) =>
      `Лист «${title}» не найден в таблице (${tabList(tabs, "ru")}). ` +
      "Проверьте SHEET_NAME или название листа.",
    protectedCells: (title: string, email: string) =>
      `Ячейки статуса на листе «${title}» защищены от изменений: разрешите сервисному аккаунту ${email} ` +
      "редактировать защищённый диапазон или снимите защиту с колонки статуса.",
    gridLimits: (title: string, detail: string) =>
      `Запись за пределами листа «${title}» не удалась: ${detail}.`,
    unauthenticated: (email: string) =>
      `Google дважды отклонил токен доступа сервисного аккаунта ${email}. ` +
      "Проверьте ключ в GOOGLE_SERVICE_ACCOUNT и повторите позже.",
    insufficientScope: () =>
      "У токена сервисного аккаунта нет прав на изменение Google Таблиц (scope spreadsheets).",
    quota: () =>
      "Превышена квота запросов к Google Таблицам (60 в минуту); повторим при следующем запуске.",
    unavailable: (status: number | undefined) =>
      `Google Таблицы временно недоступны${status ? ` (HTTP ${status})` : ""}; ` +
      "повторим при следующем запуске.",
    timeout: () => "Google Таблицы не ответили вовремя; повторим при следующем запуске.",
    budget: () =>
      "Запуск исчерпал лимит запросов (MAX_SUBREQUESTS_PER_RUN) раньше, чем дошёл до Google " +
      "Таблиц: увеличьте его; продолжим при следующем запуске.",
    network: (what: string) =>
      `Не удалось связаться с Google (${what}); повторим при следующем запуске.`,
    refused: (status: number, code: string, message: string) =>
      `Google Таблицы отклонили запрос (HTTP ${status}${code ? ` ${code}` : ""})` +
      `${message ? `: ${message}` : ""}.`,
    malformed: (what: string) => `Google Таблицы вернули непонятный ответ: ${what}.`,
  },
  en: {
    tokenKeyRejected: (email: string) =>
      `Google refused the signature of service account ${email}'s key: the key was deleted or ` +
      "revoked. Create a new JSON key and update the GOOGLE_SERVICE_ACCOUNT secret.",
    tokenClock: () =>
      "Google refused the token request: this server's clock is off (iat/exp of the JWT). " +
      "Check the server clock and retry.",
    tokenAudience: (tokenUrl: string) =>
      `Google refused the token request: wrong audience (aud) "${tokenUrl}". ` +
      "Check GOOGLE_TOKEN_URL (default https://oauth2.googleapis.com/token).",
    tokenAccountMissing: (email: string) =>
      `Service account ${email} does not exist at Google (deleted or disabled). ` +
      "Create a new key and update the GOOGLE_SERVICE_ACCOUNT secret.",
    tokenScope: () =>
      "Google did not grant the service account access to Google Sheets (scope). " +
      "Check that the Google Sheets API is enabled in the Google Cloud project.",
    tokenRefused: (status: number, code: string, description: string) =>
      `Google did not issue an access token (HTTP ${status}, ${code}${
        description ? `: ${description}` : ""
      }).`,
    tokenUnavailable: (status: number | undefined) =>
      `Google's authorization service is unavailable${status ? ` (HTTP ${status})` : ""}; ` +
      "the next run retries.",
    tokenMalformed: () => "Google's authorization service answered without an access token.",
    keyUnreadable: () =>
      "GOOGLE_SERVICE_ACCOUNT: private_key is not a readable PKCS#8 RSA key; paste the whole " +
      "content of the JSON key file.",
    notShared: (email: string) =>
      `No access to the spreadsheet: share it with the service account ${email} as an Editor ` +
      "(Share → add this address) and retry.",
    apiDisabled: () =>
      "The Google Sheets API is not enabled in the service account's Google Cloud project: " +
      "enable it in the Google Cloud console (APIs & Services → Library → Google Sheets API).",
    notFound: (spreadsheetId: string) =>
      `Spreadsheet "${spreadsheetId}" was not found: check SPREADSHEET_ID ` +
      "(the id in the spreadsheet's address, between /d/ and /edit).",
    tabMissing: (title: string, tabs: readonly string[]) =>
      `Tab «${title}» does not exist in the spreadsheet (${tabList(tabs, "en")}). ` +
      "Check SHEET_NAME or the tab's title.",
    protectedCells: (title: string, email: string) =>
      `The status cells on tab «${title}» are protected: let the service account ${email} edit the ` +
      "protected range or remove the protection from the status column.",
    gridLimits: (title: string, detail: string) =>
      `Writing beyond the grid of tab «${title}» failed: ${detail}.`,
    unauthenticated: (email: string) =>
      `Google refused the access token of service account ${email} twice. ` +
      "Check the key in GOOGLE_SERVICE_ACCOUNT and retry later.",
    insufficientScope: () =>
      "The service account's token may not edit Google Sheets (spreadsheets scope).",
    quota: () =>
      "The Google Sheets request quota (60 per minute) is exhausted; the next run retries.",
    unavailable: (status: number | undefined) =>
      `Google Sheets is unavailable${status ? ` (HTTP ${status})` : ""}; the next run retries.`,
    timeout: () => "Google Sheets did not answer in time; the next run retries.",
    budget: () =>
      "The run spent its request limit (MAX_SUBREQUESTS_PER_RUN) before reaching Google " +
      "Sheets: raise it; the next run carries on.",
    network: (what: string) => `Could not reach Google (${what}); the next run retries.`,
    refused: (status: number, code: string, message: string) =>
      `Google Sheets refused the request (HTTP ${status}${code ? ` ${code}` : ""})` +
      `${message ? `: ${message}` : ""}.`,
    malformed: (what: string) => `Google Sheets answered with something unexpected: ${what}.`,
  },
} satisfies Record<Language, Record<string, (...args: never[]) => string>>;

/** The texts of one language. */
export type Messages = typeof messages.ru;
