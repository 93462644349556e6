// (in progress)
import type { Router } from '../router.ts';
import type { MarathonApiContext } from './context.ts';

export function registerPodRoutes(_router: Router, _ctx: MarathonApiContext): void {}
