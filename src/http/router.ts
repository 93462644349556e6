// Routes of the REST APIs: method plus a path pattern. Marathon ids are paths (`/v2/apps/prod/web/tasks`),
// so patterns are regular expressions with named groups, tried in order, first match wins; a path that
// matches some pattern with another method gets 405.
import type { ApiRequest, ApiResult } from './request.ts';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route. `authenticated`: any valid token, the handler authorizes per object (the
 * namespace is known only once the id is resolved). `public`: no token needed (liveness, /ping).
 */
export type Access = 'public' | 'authenticated';

export type Handler = (req: ApiRequest, params: Record<string, string>) => Promise<ApiResult> | ApiResult;

export interface Route {
  method: Method;
  pattern: RegExp;
  access: Access;
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: Method | Method[], pattern: RegExp, handler: Handler, access: Access = 'authenticated'): this {
    for (const m of Array.isArray(method) ? method : [method])
      this.routes.push({ method: m, pattern, handler, access });
    return this;
  }

  /** The route for a request, `'method'` when only the method is wrong, or undefined (404). */
  match(
    method: string,
    path: string,
  ): { route: Route; params: Record<string, string> } | 'method' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      // HEAD is served by GET handlers (the body is dropped) unless a route names HEAD itself.
      if (route.method === method || (method === 'HEAD' && route.method === 'GET' && !this.hasHead(path)))
        return { route, params: decodeParams(m.groups ?? {}) };
    }
    return pathMatched ? 'method' : undefined;
  }

  private hasHead(path: string): boolean {
    return this.routes.some((r) => r.method === 'HEAD' && r.pattern.test(path));
  }
}

function decodeParams(groups: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(groups)) {
    if (v === undefined) continue;
    try {
      out[k] = decodeURIComponent(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}
