import type { Request, RequestHandler } from 'express';
import type { z } from 'zod';
import { depthProblem, tooDeep } from './depth';
import { check, sendRestError } from './issues';
import { RestV03GetTaskQuery, RestV03PushConfigBody, RestV03SendBody } from './v03';
import { RestGetTaskQuery, RestListTasksQuery, RestPushConfigBody, RestTenantQuery, SendMessageRequest } from './v1';

interface Route {
  method: string;
  path: RegExp;
  body?: z.ZodType;
  query?: z.ZodType;
}

/**
 * The HTTP+JSON routes whose body or query string the SDK reads, in the SDK's own order (a GET
 * on /tasks/x:subscribe is a subscription, not GetTask). v1.0 routes may start with a tenant.
 */
const tenant = '(?:/[^/]+)?';
const V1_ROUTES: Route[] = [
  { method: 'POST', path: new RegExp(`^${tenant}/message:(send|stream)$`), body: SendMessageRequest },
  { method: 'GET', path: new RegExp(`^${tenant}/tasks/[^/]+:subscribe$`) },
  { method: 'GET', path: new RegExp(`^${tenant}/tasks/[^/]+$`), query: RestGetTaskQuery },
  { method: 'GET', path: new RegExp(`^${tenant}/tasks$`), query: RestListTasksQuery },
  { method: 'POST', path: new RegExp(`^${tenant}/tasks/[^/]+/pushNotificationConfigs$`), body: RestPushConfigBody },
];

/** v0.3's routes, all under /v1/, taken by the SDK's compat router for v0.3 clients. */
const V03_ROUTES: Route[] = [
  { method: 'POST', path: /^\/v1\/message:(send|stream)$/, body: RestV03SendBody },
  { method: 'GET', path: /^\/v1\/tasks\/[^/]+:subscribe$/ },
  { method: 'GET', path: /^\/v1\/tasks\/[^/]+$/, query: RestV03GetTaskQuery },
  { method: 'POST', path: /^\/v1\/tasks\/[^/]+\/pushNotificationConfigs$/, body: RestV03PushConfigBody },
];

/** As the SDK decides: no A2A-Version header, or one from 0.3 up to (not) 1.0, is a v0.3 client. */
function speaksV03(req: Request): boolean {
  const version = (req.header('a2a-version') ?? '').trim();
  if (version === '') return true;
  const m = /^(\d+)\.(\d+)/.exec(version);
  return m !== null && Number(m[1]) === 0 && Number(m[2]) >= 3;
}

/**
 * HTTP+JSON requests checked before the SDK reads them: the body of each route that has one and
 * the query string of the GETs, each bad field a 400 INVALID_ARGUMENT naming it ("query.pageSize:
 * expected a non-negative integer"). The SDK would read "3abc" as 3 and "yes" as false. A body
 * nested too deep for the SDK to walk is refused first, whatever the route.
 */
export function checkRestRequest(): RequestHandler {
  return (req, res, next) => {
    const deep = tooDeep(req.body);
    if (deep) return sendRestError(res, depthProblem(deep, 'body'));
    const v03 = speaksV03(req) && req.path.startsWith('/v1/');
    const route = (v03 ? V03_ROUTES : V1_ROUTES).find((r) => r.method === req.method && r.path.test(req.path));
    // Every v1.0 route reads ?tenant= as it comes, a list when repeated.
    const query = route?.query ?? (v03 ? undefined : RestTenantQuery);
    if (!route && !query) return next();
    const problem = (query && check(query, req.query, 'query')) || (route?.body && check(route.body, req.body, 'body')) || null;
    if (problem) return sendRestError(res, problem);
    next();
  };
}
