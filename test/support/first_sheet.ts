/**
 * The deals tab as the first versions' template had it (before `Воронка` and `Маржа`): the sheet
 * clinics already keep, which tests of upgrades and of stored fingerprints start from.
 */

/** Its header row, without the status column. */
export const FIRST_HEADER = [
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
] as const;
