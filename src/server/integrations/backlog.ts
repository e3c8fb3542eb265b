// The national links' backlog: jobs waiting for each link, counted from the job queue (so every process
// shows the same figure), kept a couple of seconds so a busy operations page or scrape costs one query.
import client from 'prom-client';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { pendingByKind } from '../jobs/jobs.repository.ts';
import { KINDS_OF_LINK } from './pipeline.ts';
import type { LinkTracker } from './link-status.ts';

type JobLink = keyof typeof KINDS_OF_LINK;

export class LinkBacklog {
  private counts: Record<JobLink, number | null> = { population: null, portal: null };
  private readAt = 0;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly maxAgeMs = 2000,
  ) {}

  /** Counts again when the last reading is older than maxAgeMs. */
  async refresh(now = Date.now()): Promise<void> {
    if (now - this.readAt < this.maxAgeMs) return;
    this.inFlight ??= (async () => {
      try {
        const byKind = await pendingByKind(this.db, [...KINDS_OF_LINK.population, ...KINDS_OF_LINK.portal]);
        for (const link of Object.keys(KINDS_OF_LINK) as JobLink[]) this.counts[link] = KINDS_OF_LINK[link].reduce((n, k) => n + (byKind[k] ?? 0), 0);
        this.readAt = Date.now();
      } finally {
        this.inFlight = null;
      }
    })();
    await this.inFlight;
  }

  of(link: string): number | null {
    return link in this.counts ? this.counts[link as JobLink] : null;
  }

  /** The trackers report this backlog; /metrics gets integration_backlog{link}. */
  attach(trackers: LinkTracker[], registry: client.Registry): void {
    for (const t of trackers) t.backlog = () => this.of(t.link);
    const refresh = () => this.refresh().catch(() => undefined);
    const of = (link: string) => this.of(link);
    new client.Gauge({
      name: 'integration_backlog',
      help: 'Jobs waiting for each national link (identity checks and give-backs; portal updates)',
      labelNames: ['link'],
      registers: [registry],
      async collect() {
        await refresh();
        this.reset();
        for (const link of Object.keys(KINDS_OF_LINK) as JobLink[]) {
          const n = of(link);
          if (n !== null) this.set({ link }, n);
        }
      },
    });
  }
}
