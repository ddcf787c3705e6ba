import type { CalendarJob } from '../../../../core/scheduler/calendar-job.ts';
import { createTemplates, type TemplateTaskDeps } from './template-create.ts';
import { checkTemplates, type StaffHours } from './template-check.ts';

/**
 * Every 5 minutes: new consultant tasks for contact-me customers become templates, and the
 * waiting ones are checked, chased and reported (template-check.ts). A slot missed while down is
 * caught up once; each run works from the database, so a crash mid-run is repaired by the next.
 */
export function wecomTemplateJob(deps: Omit<TemplateTaskDeps, 'storeId'>, store: StaffHours & { id: string }): CalendarJob {
  const storeDeps: TemplateTaskDeps = { ...deps, storeId: store.id };
  return {
    name: 'wecom-template-tasks',
    cron: '*/5 * * * *',
    timeZone: store.timeZone,
    missed: 'catch-up',
    graceMs: 3_600_000,
    async run() {
      await createTemplates(storeDeps);
      await checkTemplates(storeDeps, store);
    },
  };
}
