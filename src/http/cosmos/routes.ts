// The Cosmos package API as DC/OS's Admin Router exposed it: `POST /package/<op>` and `GET /capabilities`,
// every call with Cosmos's versioned media types and error bodies.
import type { Router } from '../router.ts';
import type { CosmosApiContext } from './context.ts';
import { registerInstallRoutes } from './install.ts';
import { registerPackageRoutes } from './packages.ts';
import { registerRepositoryRoutes } from './repositories.ts';

export function registerCosmosRoutes(router: Router, ctx: CosmosApiContext): Router {
  registerPackageRoutes(router, ctx);
  registerInstallRoutes(router, ctx);
  registerRepositoryRoutes(router, ctx);
  return router;
}
