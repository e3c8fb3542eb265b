// The worker's hourly duty for the admission fees: the groups whose payment window has closed get their
// unpaid wishes marked (once each), and yesterday's (Vietnam) payments are reconciled with the gateway's
// statement once the day is over (once a day; `npm run payments -- reconcile` runs any day again).
import type { PeriodicTask } from '../jobs/job.ts';
import type { PaymentGateway } from './gateway-client.ts';
import { localDay, markUnpaid, reconcileDay } from './payments.service.ts';
import { reconciledDay } from './payments.repository.ts';
import { currentExamYear } from '../exam-years/exam-years.repository.ts';

export function paymentsTask(gateway: PaymentGateway | null): PeriodicTask {
  return {
    name: 'admission-payments',
    everyMs: 3600_000,
    run: async ({ db, now, log }) => {
      if (!(await currentExamYear(db.read))) return;
      const closed = (await markUnpaid(db, now)).filter((g) => !g.already);
      if (closed.length > 0) log.info({ groups: closed.map((g) => g.group) }, 'payment groups closed: unpaid wishes marked');
      if (!gateway) return;
      const day = localDay(new Date(now.getTime() - 86_400_000));
      if (await reconciledDay(db.read, day)) return;
      const r = await reconcileDay(db, gateway, day, now);
      if (r.flagged > 0) log.warn({ day, flagged: r.flagged, fixed: r.fixed }, 'payment reconciliation found differences');
    },
  };
}
