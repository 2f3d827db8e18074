/** The deals template's header row (`sheets/deals-template.csv`), in the sheet's language. */

/** Headers of the template, the sync-status column last; each is one DESIGN recognises. */
export const TEMPLATE_HEADERS: readonly string[] = [
  "ID сделки",
  "Дата сделки",
  "Статус",
  "Дата статуса",
  "Сумма",
  "Телефон",
  "Email",
  "Теги",
  "Менеджер",
  "Услуга",
  "Комментарий",
  "Calltouch",
];
