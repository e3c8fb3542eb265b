// Per-process parts of the national links, built once from the configuration: a breaker and a status
// tracker per link and the HTTP adapters (null when a link is not configured). The jobs that use them are
// declared in pipeline.ts.
import type { Services } from '../context.ts';
import { CircuitBreaker } from './breaker.ts';
import { LINK_NAMES, LinkTracker, type LinkName } from './link-status.ts';
import { HttpPopulationLink } from './population/http-client.ts';
import { HttpPortalLink } from './portal/http-client.ts';
import { loadPortalStatusMap } from './portal/status-map.ts';
import type { PopulationLink } from './population/population.ts';
import type { PortalLink } from './portal/portal.ts';

export interface IntegrationsRuntime {
  trackers: Record<LinkName, LinkTracker>;
  population: PopulationLink | null;
  portal: PortalLink | null;
}

const runtimes = new WeakMap<Services, IntegrationsRuntime>();

export function integrationsRuntime(s: Services): IntegrationsRuntime {
  let rt = runtimes.get(s);
  if (rt) return rt;
  const c = s.config;
  const configured: Record<LinkName, boolean> = {
    vneid: Boolean(c.VNEID_ISSUER && c.VNEID_CLIENT_ID && c.VNEID_CLIENT_SECRET),
    population: Boolean(c.POPULATION_URL),
    portal: Boolean(c.PORTAL_URL),
  };
  const trackers = Object.fromEntries(
    LINK_NAMES.map((l) => [l, new LinkTracker(l, configured[l], new CircuitBreaker(l, { failureThreshold: c.LINK_BREAKER_FAILURES, coolDownMs: c.LINK_BREAKER_COOLDOWN_MS }), c.LINK_SLOW_MS)]),
  ) as Record<LinkName, LinkTracker>;
  const clock = () => s.clock();
  const population = c.POPULATION_URL
    ? new HttpPopulationLink({ baseUrl: c.POPULATION_URL, apiKey: c.POPULATION_API_KEY, timeoutMs: c.LINK_TIMEOUT_MS, tracker: trackers.population, clock })
    : null;
  const portal = c.PORTAL_URL
    ? new HttpPortalLink({ baseUrl: c.PORTAL_URL, apiKey: c.PORTAL_API_KEY, timeoutMs: c.LINK_TIMEOUT_MS, tracker: trackers.portal, clock }, () => loadPortalStatusMap(s.db.read))
    : null;
  rt = { trackers, population, portal };
  runtimes.set(s, rt);
  return rt;
}
