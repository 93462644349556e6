// (in progress)
import type { Router } from '../router.ts';
import type { MarathonApiContext } from './context.ts';

export function registerDeploymentRoutes(_router: Router, _ctx: MarathonApiContext): void {}
