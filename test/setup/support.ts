/** What sheet setup reports for a tab that is already prepared. */
export const ALREADY_PREPARED = {
  tab: "Сделки",
  changed: false,
  done: [],
  warnings: [],
  requests: 0,
  text: "Лист «Сделки» уже подготовлен: делать нечего.",
};
