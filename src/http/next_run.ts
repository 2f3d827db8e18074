/** When a cron expression fires next, for the status page (see `util/cron.ts`). */
export { nextCronRun } from "../util/cron.ts";
