/**
 * What `deno task init` tells the integrator to hand over to the clinic, in Russian (the
 * clinic's language): the panel and its password, what ✅ ❌ ⏳ in the «Calltouch» column mean,
 * the panel's buttons and the sheet's «Calltouch» menu. Pure.
 */
import { ACTOR_WORDS } from "../../src/words/help.ts";
import { statusCellRows } from "../troubleshooting.ts";

/** What the message needs to know about the deployment. */
export interface ClinicMessageOptions {
  /** The control panel's address. */
  panelUrl: string;
  /** The Worker's address (the menu's setting). */
  workerUrl: string;
  /** The cron expression of `wrangler.toml` (`[triggers] crons`), if any. */
  cron?: string;
  /** The sheet's tab, when one is named. */
  tab?: string;
}

/** How often the cron runs, in words: `каждые 5 минут` for `*\/5 * * * *`. */
export function cronInWords(cron: string | undefined): string {
  if (cron === undefined) return "по расписанию";
  const every = /^\*\/(\d+) \* \* \* \*$/.exec(cron.trim())?.[1];
  if (cron.trim() === "* * * * *") return "каждую минуту";
  if (every === undefined) return `по расписанию (${cron.trim()}, время UTC)`;
  const n = Number(every);
  const mod10 = n % 10;
  const mod100 = n % 100;
  const word = mod10 === 1 && mod100 !== 11
    ? "минуту"
    : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)
    ? "минуты"
    : "минут";
  return `${mod10 === 1 && mod100 !== 11 ? "каждую" : "каждые"} ${n} ${word}`;
}

/**
 * The message, ready to be copied into a chat or an e-mail. The password is not in it: it is
 * the SYNC_TOKEN, printed once when it was made.
 *
 * @example
 * clinicMessage({ panelUrl: "https://x.workers.dev/", workerUrl: "https://x.workers.dev",
 *   cron: "*\/5 * * * *" });
 */
export function clinicMessage(options: ClinicMessageOptions): string {
  const column = "«Calltouch»";
  const tab = options.tab ? ` на листе «${options.tab}»` : "";
  return [
    "Сделки из таблицы теперь сами уходят в Calltouch — " +
    `${cronInWords(options.cron)}: новые и изменённые строки.`,
    "",
    `Панель управления: ${options.panelUrl}`,
    "  Имя пользователя — любое, пароль — <пароль панели> (пришлю отдельно).",
    "  Кнопки: «Синхронизировать сейчас» — отправить сразу, не дожидаясь расписания;",
    "  «Проверить без отправки» — что будет отправлено и какие строки с ошибками;",
    "  «Повторить отклонённые» — отправить снова сделки, которые Calltouch не принял.",
    "  Зелёный — всё в Calltouch, жёлтый — есть строки, требующие внимания, красный — запуск не",
    "  удался. Номер строки на панели открывает её ячейку в таблице.",
    "",
    `Столбец ${column}${tab} заполняет синхронизация, сами его не редактируйте:`,
    // What each status cell means and who acts: the troubleshooting table's own words.
    ...statusCellRows().flatMap((row) => [
      ...wrapped(row.message, "  ", "     "),
      ...wrapped(
        `→ ${row.help.who === "nobody" ? "" : `${ACTOR_WORDS[row.help.who]}: `}${row.help.todo}.`,
        "     ",
        "       ",
      ),
    ]),
    "",
    "Меню «Calltouch» в таблице (те же три действия, не выходя из таблицы): его ставят один раз —",
    "Расширения → Apps Script, по инструкции sheets/README.md («Меню «Calltouch» в таблице»);",
    `в «Calltouch → Настройки» адрес: ${options.workerUrl}, токен — тот же пароль панели.`,
  ].join("\n");
}

/** `text` in lines of at most 96 characters, the first after `first`, the others after `rest`. */
function wrapped(text: string, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(" ")) {
    if (line.trim() && [...line].length + 1 + [...word].length > 96) {
      lines.push(line);
      line = rest + word;
    } else line += line.trim() ? ` ${word}` : word;
  }
  lines.push(line);
  return lines;
}
