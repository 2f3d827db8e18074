/**
 * Troubleshooting, keyed by message code: for every message of the catalog a person can see
 * (status cells, row problems, Google's and Calltouch's refusals, the deals journal, the
 * attribution column, sheet setup, HTTP answers, run errors), who acts and what to do, in Russian
 * (the clinic's language). Typed against {@linkcode Words}: a code without an entry, or an entry
 * without a code, does not compile. `deno task generate` renders it into the README (the status
 * cells and the run errors staff see) and `docs/troubleshooting.md` (every other message).
 * Never imported by the Worker.
 */
import { DAY_RESUMES_AT } from "../util/calltouch_day.ts";
import { PAID_MAX_SUBREQUESTS } from "../util/budget.ts";
import type { Words } from "./mod.ts";

/** Who acts on a message: the clinic, the integrator who deployed the sync, or nobody. */
export type Actor = "clinic" | "integrator" | "nobody";

/** The actor as the tables name them (Russian). */
export const ACTOR_WORDS: Readonly<Record<Actor, string>> = {
  clinic: "клиника",
  integrator: "интегратор",
  nobody: "никто",
};

/** How to act on one message. */
export interface Help<A extends readonly unknown[] = readonly unknown[]> {
  /** Who acts. */
  who: Actor;
  /** What to do, in Russian: one or two short sentences. */
  todo: string;
  /**
   * Shown in the README's short tables rather than in `docs/troubleshooting.md`: `cells`, among
   * the status cells («what ✅ ❌ ⏳ mean»); `errors`, among the errors of a run staff see on the
   * control panel and in the menu.
   */
  readme?: "cells" | "errors";
  /** The arguments to show the message with, when the catalog's test samples read oddly here. */
  example?: A;
}

/**
 * A code that is not a message of its own: a `fragment` glued into another text (or a label), or
 * a `report` line that says what was done and asks nothing of anyone.
 */
export type NotAProblem = "fragment" | "report";

/** The entry one code takes: help (shown with the code's own arguments), or why there is none. */
type Entry<T> = T extends (...args: infer A) => string ? Help<A> | NotAProblem
  : T extends string ? Help<[]> | NotAProblem
  : NotAProblem;

/** The sections of the catalog whose codes a person can see as messages, in the docs' order. */
export const HELP_SECTIONS = [
  "status",
  "rows",
  "google",
  "calltouch",
  "journal",
  "attribution",
  "setup",
  "http",
  "run",
] as const;

/** One of {@linkcode HELP_SECTIONS}. */
export type HelpSection = typeof HELP_SECTIONS[number];

/** Every code of every help section, with its entry. */
export type HelpTable = {
  readonly [S in HelpSection]: { readonly [K in keyof Words[S]]: Entry<Words[S][K]> };
};

/** Each section's heading in the docs, and where its messages are seen (English). */
export const SECTION_TITLES: Readonly<Record<HelpSection, { title: string; where: string }>> = {
  status: { title: "Status cells", where: "the «Calltouch» column of the sheet" },
  rows: {
    title: "Row problems",
    where: "a status cell `❌ <cell>: …`; a missing column: the run's error",
  },
  google: {
    title: "Google",
    where: "the run's error: the control panel, the menu, `/sync`, the command line",
  },
  calltouch: { title: "Calltouch", where: "the run's error, when the deals API fails as a whole" },
  journal: {
    title: "The deals journal",
    where: "the control panel's «Сверка с Calltouch» line (with CALLTOUCH_STATS_TOKEN)",
  },
  attribution: { title: "The attribution column", where: "the column «Источник (Calltouch)»" },
  setup: {
    title: "Sheet setup",
    where: "`deno task setup-sheet`, `POST /setup`, `deno task init`",
  },
  http: {
    title: "HTTP answers",
    where: "`/sync`, `/setup`, the control panel's login, the sheet's menu",
  },
  run: { title: "Run errors", where: "the control panel, the menu, `/sync`, the command line" },
};

const AGAIN = "ничего: повторим при следующем запуске";
const WRANGLER_KEY = "`deno task wrangler secret put GOOGLE_SERVICE_ACCOUNT < key.json`";
const LOGS = "логи: `deno task wrangler tail`";

/** What an entry says besides who acts and what to do. */
type More<A extends readonly unknown[]> = Pick<Help<A>, "readme" | "example">;

/** The clinic acts (see {@linkcode Help}). */
function clinic<A extends readonly unknown[]>(todo: string, more?: More<A>): Help<A> {
  return { who: "clinic", todo, ...more };
}

/** The integrator who deployed the sync acts. */
function integrator<A extends readonly unknown[]>(todo: string, more?: More<A>): Help<A> {
  return { who: "integrator", todo, ...more };
}

/** Nobody acts: it heals by itself, or says so. */
function nobody<A extends readonly unknown[]>(todo: string, more?: More<A>): Help<A> {
  return { who: "nobody", todo, ...more };
}

/** The table: every code of {@linkcode HELP_SECTIONS}. */
export const HELP: HelpTable = {
  status: {
    created: nobody("ничего: Calltouch принял сделку", { readme: "cells" }),
    updated: nobody("ничего: Calltouch принял изменения", { readme: "cells" }),
    rejected: clinic("исправьте строку по причине от Calltouch; изменённая строка уйдёт сама", {
      readme: "cells",
    }),
    refused: integrator(
      "в строке всё верно: выясните причину в Calltouch (проект, его настройки, " +
        "поддержка). Сделка уйдёт сама раз в сутки; сразу — если очистить ячейку или нажать " +
        "«Повторить отклонённые»",
      { readme: "cells" },
    ),
    noReason: "fragment",
    unavailable: nobody(
      "ничего: сделка уйдёт снова при следующем запуске (повторный запрос не создаст " +
        `дубль). Держится дольше часа — интегратору: Calltouch недоступен, ${LOGS}`,
      { readme: "cells" },
    ),
    key: integrator(
      "исправьте названные настройки (ключ: `deno task wrangler secret put " +
        "CALLTOUCH_TOKEN`). Сделки уйдут сами при первом запуске после исправления",
      { readme: "cells" },
    ),
    url: integrator(
      "исправьте CALLTOUCH_API_URL или удалите его (по умолчанию https://api.calltouch.ru); " +
        "сделки уйдут сами",
      { readme: "cells" },
    ),
    outOfTime: nobody(
      "ничего: остальное отправит следующий запуск. Так каждый раз — интегратору: " +
        "SYNC_TIME_BUDGET_SECONDS",
      { readme: "cells" },
    ),
    budget: nobody(
      "ничего: первая синхронизация большой таблицы идёт за несколько запусков. Быстрее — " +
        `интегратору: MAX_SUBREQUESTS_PER_RUN (на платном тарифе Workers ${PAID_MAX_SUBREQUESTS})`,
      { readme: "cells" },
    ),
    dailyLimit: nobody(
      `ничего: сделки уйдут после ${DAY_RESUMES_AT} по Москве. Так каждый день — интегратору: ` +
        "поддержка Calltouch (лимит баллов API проекта)",
      { readme: "cells" },
    ),
  },

  rows: {
    missingColumns: clinic(
      "добавьте в строку 1 столбец под одним из названий (шаблон: " +
        "sheets/deals-template.csv); до тех пор не уходит ни одна сделка",
      { readme: "errors" },
    ),
    idMissing: clinic("впишите номер сделки"),
    idContact: clinic("в ID — номер сделки, телефон или e-mail — в свой столбец"),
    idDuplicate: clinic(
      "дайте каждой сделке свой ID; ни одна из строк с повтором не уходит, пока он есть",
      { example: ["A15 (ID сделки)", "1012", [15, 16]] },
    ),
    dateMissing: clinic("впишите дату (или выберите ячейку-дату)", {
      example: ["B6 (Дата сделки)"],
    }),
    dateInvalid: clinic(
      "исправьте ячейку так, как сказано в тексте; исправленная строка уйдёт сама. Каждая " +
        "ошибка в ячейке — в [docs/troubleshooting.md](docs/troubleshooting.md)",
      { readme: "cells", example: ["B6 (Дата сделки)", "31.13.2026"] },
    ),
    dateImpossible: clinic("исправьте число или время", {
      example: ["B6 (Дата сделки)", "31.02.2026 09:00"],
    }),
    dateOutOfRange: clinic("проверьте год (частая опечатка: 2062 вместо 2026)", {
      example: ["B6 (Дата сделки)", "01.01.1800"],
    }),
    statusMissing: clinic("впишите этап сделки: «Записан», «Пришёл», «Оплачено»…", {
      example: ["C6 (Статус)"],
    }),
    moneyInvalid: clinic("одно число в ячейке, без текста", { example: ["E7 (Сумма)", "12,3,4"] }),
    moneyNegative: clinic("исправьте сумму; возврат — отдельным статусом, не минусом", {
      example: ["E7 (Сумма)", "-500"],
    }),
    moneyPrecision: clinic(
      "не больше двух цифр после запятой; тысячи отделяйте пробелом, не запятой",
      { example: ["E7 (Сумма)", "1,005"] },
    ),
    phoneInvalid: clinic("исправьте номер; несколько номеров — через запятую", {
      example: ["F10 (Телефон)", "12***"],
    }),
    emailInvalid: clinic("исправьте адрес; несколько — через запятую", {
      example: ["G10 (Email)", "n***@server"],
    }),
    customContact: clinic(
      "уберите телефон или e-mail из этого столбца: он уходит в Calltouch полем сделки",
      { example: ["J4 (Врач)"] },
    ),
    moreProblems: "fragment",
  },

  google: {
    tokenKeyRejected: integrator(
      `создайте новый JSON-ключ сервисного аккаунта и загрузите его: ${WRANGLER_KEY}`,
    ),
    tokenClock: integrator(
      "бывает в командной строке: сверьте часы компьютера (синхронизация времени)",
    ),
    tokenAudience: integrator("удалите GOOGLE_TOKEN_URL (его задают только для тестов и прокси)"),
    tokenAccountMissing: integrator(
      "создайте сервисный аккаунт и ключ заново, загрузите ключ и откройте таблице " +
        "доступ для нового e-mail",
    ),
    tokenScope: integrator("включите Google Sheets API в проекте Google Cloud сервисного аккаунта"),
    tokenRefused: integrator(
      `причина — в словах Google; чаще всего ключ испорчен: загрузите его заново, ${WRANGLER_KEY}`,
    ),
    tokenUnavailable: nobody(AGAIN),
    tokenTimeout: nobody(AGAIN),
    tokenMalformed: nobody(`${AGAIN}. Держится — интегратору: проверьте GOOGLE_TOKEN_URL`),
    keyUnreadable: integrator(
      `загрузите ключ из файла, не вставляя его в подсказку (она читает одну строку): ${WRANGLER_KEY}`,
    ),
    notShared: clinic(
      "владелец таблицы: «Настройки доступа» → e-mail из сообщения → «Редактор» → " + "«Отправить»",
      { readme: "errors" },
    ),
    apiDisabled: integrator(
      "включите Google Sheets API в консоли Google Cloud (проект сервисного аккаунта)",
      { readme: "errors" },
    ),
    notFound: integrator(
      "проверьте SPREADSHEET_ID (в TARGETS — `spreadsheet` цели): адрес или id таблицы; " +
        "таблицу не удалили?",
      { readme: "errors" },
    ),
    tabMissing: clinic(
      "верните листу прежнее название — или интегратор укажет новое в SHEET_NAME (в " +
        "TARGETS — `tab` цели)",
      { readme: "errors" },
    ),
    protectedCells: clinic(
      "владелец таблицы: разрешите e-mail из сообщения править защищённый диапазон или " +
        "снимите защиту со столбца «Calltouch»",
      { readme: "errors" },
    ),
    gridLimits: nobody("лист уменьшили, пока шла запись: следующий запуск запишет итоги снова"),
    unauthenticated: integrator(
      `проверьте ключ сервисного аккаунта; загрузите его заново: ${WRANGLER_KEY}`,
    ),
    insufficientScope: integrator(
      "проверьте, что GOOGLE_SERVICE_ACCOUNT — ключ сервисного аккаунта, а " +
        "GOOGLE_TOKEN_URL не задан",
    ),
    quota: nobody(
      `${AGAIN}. Часто — интегратору: один сервисный аккаунт делят слишком много целей ` +
        "или запусков",
    ),
    unavailable: nobody(AGAIN),
    timeout: nobody(AGAIN),
    budget: integrator(
      `увеличьте MAX_SUBREQUESTS_PER_RUN (на платном тарифе Workers ${PAID_MAX_SUBREQUESTS})`,
    ),
    network: nobody(AGAIN),
    refused: integrator(`причина — в словах Google; непонятна — ${LOGS}, и сообщите разработчикам`),
    malformed: nobody(`${AGAIN}. Держится — интегратору: проверьте GOOGLE_SHEETS_API_URL`),
  },

  calltouch: {
    credentials: integrator(
      "исправьте ключ (`deno task wrangler secret put CALLTOUCH_TOKEN`) или " +
        "CALLTOUCH_SITE_ID (в TARGETS — секрет из `calltouchTokenSecret`, `calltouchSiteId`)",
      { readme: "errors" },
    ),
    wrongUrl: integrator(
      "удалите CALLTOUCH_API_URL (по умолчанию https://api.calltouch.ru) или исправьте его",
    ),
    network: nobody(`${AGAIN}; строки ждут с ⏳`),
    timeout: nobody(`${AGAIN}; строки ждут с ⏳`),
    status: nobody(
      `${AGAIN}; строки ждут с ⏳. Держится часами — интегратору: поддержка Calltouch`,
    ),
    pointsSpent: nobody(
      `ничего: отправка продолжится после ${DAY_RESUMES_AT} по Москве, строки ждут с ⏳. ` +
        "Повторяется каждый день — интегратору: поддержка Calltouch (лимит баллов API проекта)",
    ),
  },

  journal: {
    token: integrator(
      "исправьте CALLTOUCH_STATS_TOKEN (токен статистики, не API-ключ сделок) или " +
        "CALLTOUCH_SITE_ID; остальная синхронизация работает",
      { readme: "errors" },
    ),
    notAPage: integrator(
      "сверка повторится сама; держится — проверьте CALLTOUCH_SITE_ID и CALLTOUCH_API_URL",
    ),
    outOfBudget: nobody(
      "ничего: сверка повторится. Каждый раз — интегратору: MAX_SUBREQUESTS_PER_RUN",
    ),
    network: nobody("ничего: сверка повторится при следующей"),
    timeout: nobody("ничего: сверка повторится при следующей"),
    status: nobody("ничего: сверка повторится при следующей"),
  },

  attribution: {
    none: nobody(
      "Calltouch не нашёл звонка или заявки: если он был, проверьте телефон, e-mail и дату " +
        "сделки; найдётся позже — текст сменится при следующей сверке",
    ),
    unlabelled: nobody(
      "лид нашёлся, но реклама была без UTM-меток: разметку рекламы настраивает маркетолог",
    ),
  },

  setup: {
    emptyHeader: integrator(
      "вставьте в строку 1 заголовки из шаблона и запустите подготовку снова",
    ),
    noContacts: clinic(
      "добавьте столбец «Телефон» или «Email»: без них Calltouch видит только CUSTOM_SOURCE",
    ),
    statusHeader: "report",
    attributionHeader: "report",
    frozen: "report",
    colours: "report",
    colour: "fragment",
    dateFormat: "report",
    tab: "fragment",
    prepared: "report",
    unchanged: "report",
    alreadyPrepared: "report",
    notes: "fragment",
  },

  http: {
    unauthorized: integrator(
      "передайте SYNC_TOKEN (или ключ клиники) в заголовке `Authorization: Bearer …`",
    ),
    missingToken: integrator(
      "задайте секрет: `deno task wrangler secret put SYNC_TOKEN` (не короче 16 знаков)",
    ),
    panelDisabled: integrator("задайте секрет: `deno task wrangler secret put SYNC_TOKEN`"),
    basicInvalid: clinic("введите пароль панели (его выдаёт интегратор); имя пользователя любое"),
    forbidden: clinic("войдите с ключом этой таблицы (его выдаёт интегратор) или откройте свою"),
    throttled: clinic("подождите названное время и введите верный ключ"),
    noRoute: integrator("проверьте адрес и метод запроса"),
    noAction: integrator("кнопки панели: sync, dry-run, retry-held"),
    noTarget: integrator("проверьте `?target=`: такого `id` нет в TARGETS"),
    noTargetOfSheet: integrator(
      "добавьте этот лист в TARGETS — или клиника откроет меню на листе со сделками",
    ),
    busy: nobody("ничего: идёт другой запуск этой таблицы, его итог появится на панели", {
      readme: "errors",
    }),
    payloadsWithheld: integrator("точные запросы видны только с SYNC_TOKEN"),
  },

  run: {
    internal: integrator(`${LOGS}; сообщите разработчикам, приложив строку лога`, {
      readme: "errors",
    }),
    config: integrator(
      "исправьте каждую названную настройку: переменные — в wrangler.toml и `deno task " +
        "deploy`, секреты — `deno task wrangler secret put ИМЯ`",
      { readme: "errors" },
    ),
    wouldCreate: "fragment",
    wouldUpdate: "fragment",
  },
};
