// Builds the Fastify application from its plugins and feature routes. Nothing here listens on a port
// (main.ts does), so tests drive the whole app in-process with app.inject.
import { registerAccessAudit } from './audit/access-audit.ts';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { lazyChildLoggerFactory } from './logger.ts';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { checkSplicedAnswers, serializerCompilerFor } from './http/serializer.ts';
import type { Services } from './context.ts';
import { registerErrorHandler } from './http/error-handler.ts';
import { healthRoutes } from './health/routes.ts';
import { decorateActor } from './http/actor.ts';
import { registerAuth } from './http/auth.ts';
import { registerOpenApi } from './http/openapi.ts';
import { accountsRoutes } from './accounts/index.ts';
import { mfaRoutes } from './mfa/routes.ts';
import { dossierRoutes } from './dossiers/routes.ts';
import { CodeAllocator, type DossierDeps } from './dossiers/commit.ts';
import type { DossierListeners } from './dossiers/listeners.ts';
import { countOnDossierChange, countOnTrialWiped } from './stats/counters.ts';
import { notifyOnDossierChange } from './notifications/notify.ts';
import { verificationRoutes } from './verification/routes.ts';
import { statsRoutes } from './stats/routes.ts';
import { webRoutes } from './web/static.ts';
import { metricsRoutes, registerMetrics } from './observability/metrics.ts';
import { FrontDoor } from './http/front-door.ts';
import { opsRoutes } from './observability/ops-routes.ts';
import { registerOverloadGuard } from './http/overload.ts';
import { supportRoutes } from './support/routes.ts';
import { adminRoutes } from './admin/routes.ts';
import { exportsRoutes } from './exports/routes.ts';
import { closeRenderPool } from './render/pool.ts';
import { integrationsRoutes } from './integrations/routes.ts';
import { linksOnDossierChange } from './integrations/pipeline.ts';
import { registerSecurityHeaders } from './security/headers.ts';
import { registerBodyGuards } from './security/body-guards.ts';
import { placesRoutes } from './places/routes.ts';
import { examRoutes } from './exam/routes.ts';
import { resultsRoutes } from './results/routes.ts';
import { admissionRoutes } from './admission/routes.ts';
import { catalogueRoutes } from './admission/catalogue-routes.ts';
import { reviewsRoutes } from './reviews/routes.ts';
import { resultsStatsRoutes } from './results-stats/routes.ts';
import { paymentsRoutes } from './payments/routes.ts';
import { admissionRunRoutes } from './admission/run-routes.ts';

/**
 * Who follows dossiers, in one list: the counters the dashboards read and the notifications people get (the
 * national links join here). Each answers writes that commit with the change (src/server/dossiers/listeners.ts).
 */
export function dossierListeners(): DossierListeners {
  return { changed: [countOnDossierChange, notifyOnDossierChange, linksOnDossierChange], trialWiped: [countOnTrialWiped] };
}

/** What the dossier module's commands need, for this process. */
export function dossierDeps(s: Services): DossierDeps {
  return { listeners: dossierListeners(), dataDir: s.config.DATA_DIR, codes: new CodeAllocator() };
}

export async function buildApp(s: Services): Promise<FastifyInstance> {
  // public read-only answers given before the framework (the results morning's look-up); see http/front-door.ts
  const front = new FrontDoor();
  const app = Fastify({
    serverFactory: front.serverFactory,
    loggerInstance: s.log as FastifyBaseLogger,
    trustProxy: s.config.TRUST_PROXY,
    bodyLimit: 1024 * 1024,
    // one line per request is noise at 10,000 req/s; debug and trace turn it back on
    logController: new LogController({ disableRequestLogging: s.config.LOG_LEVEL !== 'debug' && s.config.LOG_LEVEL !== 'trace' }),
    requestIdHeader: 'x-request-id',
    // each request's logger (with its request id) is made when something logs through it, not for every request
    childLoggerFactory: lazyChildLoggerFactory as unknown as NonNullable<FastifyServerOptions['childLoggerFactory']>,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  app.decorate('frontDoor', front);
  app.setValidatorCompiler(validatorCompiler);
  // every answer with a response schema goes through its compiled serializer; in tests it is checked first
  app.setSerializerCompiler(serializerCompilerFor(s.config.NODE_ENV === 'test'));
  if (s.config.NODE_ENV === 'test') checkSplicedAnswers(app);
  registerErrorHandler(app, (err) => s.db.dialect.isBusy(err));

  // every request is anonymous from its first hook: a request refused before the session is read (the
  // overload guard, the body guards) still passes through the hooks that read its actor (the access audit)
  decorateActor(app);
  await registerSecurityHeaders(app, s.config); // helmet's headers, HSTS over https, no-store by default
  registerBodyGuards(app); // JSON nesting refused before anything walks it
  registerMetrics(app, s);
  registerOverloadGuard(app, s, {
    maxEventLoopDelayMs: s.config.MAX_EVENT_LOOP_DELAY_MS,
    maxInFlight: s.config.MAX_IN_FLIGHT,
    maxWriteQueue: s.config.WRITE_QUEUE_MAX,
  });
  await registerAuth(app, s); // session cookie → req.actor, CSRF, route access; before every route
  registerAccessAudit(app, s); // staff requests and refusals into the chained audit log
  await registerOpenApi(app); // collects the routes added after it

  // Feature routes: one line each. Every route declares config.access (see http/route-access.ts).
  await healthRoutes(app, s);
  await metricsRoutes(app);
  await accountsRoutes(app, s);
  await mfaRoutes(app, s); // the staff second factor and its sign-in steps
  const dossiers = dossierDeps(s);
  await dossierRoutes(app, s, dossiers);
  await verificationRoutes(app, s);
  await statsRoutes(app, s);
  await supportRoutes(app, s);
  await adminRoutes(app, s);
  await exportsRoutes(app, s);
  await opsRoutes(app, s);
  await integrationsRoutes(app, s, dossiers); // national links: their state, identity flags, sign-in with VNeID
  await placesRoutes(app, s); // provinces, communes and schools by name; the departments' school import
  await examRoutes(app, s); // after registration: candidate numbers, sites and rooms
  await resultsRoutes(app, s); // the councils' marks, the schools' averages and the graduation results
  await admissionRoutes(app, s); // university admission registration (issue 23)
  await catalogueRoutes(app, s); // institutions and their programme catalogues: import, review, publication
  await reviewsRoutes(app, s); // score reviews (phúc khảo): candidates' requests, the department's outcomes
  await resultsStatsRoutes(app, s); // their score distributions, graduation rates and reviews, per province and nation
  await paymentsRoutes(app, s); // admission fees: orders, the gateway's notifications, reconciliation, refunds
  await admissionRunRoutes(app, s); // the national admission run: provisional and published runs, results, enrolment, dashboards
  await webRoutes(app); // the browser app (dist/web) and its SPA fallback: after every API route
  // PDF and XLSX render threads start on the first file asked for; they stop with the app
  app.addHook('onClose', () => closeRenderPool(s));
  return app;
}
