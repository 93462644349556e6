// (in progress)
import type { Router } from '../router.ts';
import type { MarathonApiContext } from './context.ts';

export function registerGroupRoutes(_router: Router, _ctx: MarathonApiContext): void {}
