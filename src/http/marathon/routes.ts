// The Marathon v2 API: every route, registered by area. Within one method, specific patterns
// (`/v2/apps/{id}/tasks`) come before the catch-all id pattern (`/v2/apps/{id}`).
import type { Router } from '../router.ts';
import type { MarathonApiContext } from './context.ts';
import { registerAppReadRoutes } from './apps-read.ts';
import { registerAppWriteRoutes } from './apps-write.ts';
import { registerDeploymentRoutes } from './deployments-api.ts';
import { registerEventRoutes } from './events.ts';
import { registerGroupRoutes } from './groups.ts';
import { registerPodRoutes } from './pods.ts';
import { registerSystemRoutes } from './system.ts';

export function registerMarathonRoutes(router: Router, ctx: MarathonApiContext): Router {
  registerSystemRoutes(router, ctx);
  registerEventRoutes(router, ctx);
  registerDeploymentRoutes(router, ctx);
  registerGroupRoutes(router, ctx);
  registerPodRoutes(router, ctx);
  registerAppReadRoutes(router, ctx);
  registerAppWriteRoutes(router, ctx);
  return router;
}
