import { Hono } from 'hono';
import { alertsRoutes } from './alerts/alerts-routes.ts';
import type { AlertBindings } from './alerts/channels.ts';
import { alertsTick } from './alerts/run-alerts.ts';
import { calendarRoutes } from './calendar/calendar-routes.ts';
import { authRoutes } from './auth/auth-routes.ts';
import { usersRoutes } from './auth/users-routes.ts';
import { itemsRoutes } from './catalog/items-routes.ts';
import { offersRoutes } from './catalog/offers-routes.ts';
import { suppliersRoutes } from './catalog/suppliers-routes.ts';
import type { HubBindings, HubEnv } from './env.ts';
import { gatewayEventsRoutes } from './gateways/gateway-events-routes.ts';
import { gatewayParsRoutes } from './gateways/gateway-pars-routes.ts';
import { gatewaysRoutes } from './gateways/gateways-routes.ts';
import { healthRoutes } from './health/health-routes.ts';
import { handleError, handleNotFound } from './http/error-handler.ts';
import { securityHeaders } from './http/security-headers.ts';
import { jsonEtags } from './http/etag.ts';
import { reportsRoutes } from './reports/reports-routes.ts';
import { auditRoutes } from './audit/audit-routes.ts';
import { readEntitiesThrough } from './audit/record.ts';
import { dataRightsRoutes } from './data-rights/data-rights-routes.ts';
import { ingestRoutes } from './ingest/ingest-routes.ts';
import { inventoryRoutes } from './inventory/inventory-routes.ts';
import { locationsRoutes } from './locations/locations-routes.ts';
import { openApiRoutes } from './openapi/openapi-routes.ts';
import { posRoutes } from './pos/pos-routes.ts';
import { webhookRoutes } from './pos/webhook-routes.ts';
import { recipesRoutes } from './recipes/recipes-routes.ts';
import { varianceRoutes } from './variance/variance-routes.ts';
import { wastePhotoRoutes } from './waste/waste-photo-routes.ts';
import { forecastsRoutes } from './forecasting/forecasts-routes.ts';
import { scheduled as forecastingScheduled } from './forecasting/nightly-job.ts';
import { licencesRoutes } from './licences/licences-routes.ts';
import { orderingRoutes } from './ordering/ordering-routes.ts';
import { ordersRoutes } from './ordering/orders-routes.ts';

/** The hub: REST under /api/v1 (DESIGN.md "Hub API"); every route declares its access with `route()`. */
const api = new Hono<HubEnv>()
  .route('/', healthRoutes)
  .route('/', openApiRoutes)
  .route('/', authRoutes)
  .route('/', usersRoutes)
  .route('/', locationsRoutes)
  .route('/', itemsRoutes)
  .route('/', suppliersRoutes)
  .route('/', offersRoutes)
  .route('/', gatewaysRoutes)
  .route('/', gatewayParsRoutes)
  .route('/', gatewayEventsRoutes)
  .route('/', ingestRoutes)
  .route('/', inventoryRoutes)
  .route('/', recipesRoutes)
  .route('/', posRoutes)
  .route('/', webhookRoutes)
  .route('/', varianceRoutes)
  .route('/', wastePhotoRoutes)
  .route('/', forecastsRoutes)
  .route('/', calendarRoutes)
  .route('/', ordersRoutes)
  .route('/', orderingRoutes)
  .route('/', licencesRoutes)
  .route('/', alertsRoutes)
  .route('/', reportsRoutes)
  .route('/', auditRoutes)
  .route('/', dataRightsRoutes);

export const app = new Hono<HubEnv>().use(securityHeaders).use('/api/v1/*', jsonEtags).route('/api/v1', api);
app.onError(handleError);
app.notFound(handleNotFound);
readEntitiesThrough(app);

/** For `hc<AppType>()` in the dashboard (STYLE "Hub types reach the dashboard through Hono RPC"). */
export type AppType = typeof app;
export type { HubBindings } from './env.ts';
export { nightlyTick } from './forecasting/nightly-job.ts';
export { alertsTick } from './alerts/run-alerts.ts';
export { rebuildStockLevels } from './inventory/rebuild-stock-levels.ts';

/** Each cron tick: the nightly forecasting job's step, then the alert rules and due notifications. */
function scheduled(controller: ScheduledController, env: HubBindings, ctx: ExecutionContext) {
  forecastingScheduled(controller, env, ctx);
  ctx.waitUntil(alertsTick(env as HubBindings & AlertBindings, new Date(controller.scheduledTime)));
}

/** The Worker: HTTP through the app, the Cron Trigger through forecasting and alerts. */
export default { fetch: app.fetch, scheduled } satisfies ExportedHandler<HubBindings>;
