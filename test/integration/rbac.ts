// The chart's permissions three ways: as documented (the RBAC table of charts/dcos-operator/README.md), as
// granted (what the API server says the ServiceAccount may do) and as used (the audit log of the operator
// running every integration scenario under that ServiceAccount).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { layout } from '../../src/devcluster/index.ts';
import { CHART_DIR, OPERATOR_NAMESPACE, SERVICE_ACCOUNT } from './operator-identity.ts';

/** `group resource verb`, group "core" for the core API; resource with its subresource ("pods/status"). */
export type Permission = string;

export interface DocumentedRule {
  group: string;
  resource: string;
  verbs: string[];
  scope: string;
  usedBy: string;
}

/** The RBAC table of the chart's README: `| API group | resource | verbs | scope | used by |`. */
export async function documentedRules(): Promise<DocumentedRule[]> {
  const text = await readFile(path.join(CHART_DIR, 'README.md'), 'utf8');
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /^\|\s*API group\s*\|\s*resource\s*\|\s*verbs\s*\|/i.test(l));
  if (header < 0) throw new Error('charts/dcos-operator/README.md has no RBAC table');
  const rows: DocumentedRule[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [group, resource, verbs, scope, usedBy] = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim().replace(/`/g, ''));
    rows.push({
      group: group!,
      resource: resource!,
      verbs: verbs!.split(',').map((v) => v.trim()),
      scope: scope!,
      usedBy: usedBy ?? '',
    });
  }
  return rows;
}

export const permissionsOf = (
  rules: { group: string; resource: string; verbs: string[] }[],
): Set<Permission> =>
  new Set(rules.flatMap((r) => r.verbs.map((v) => `${r.group || 'core'} ${r.resource} ${v}`)));

export const SERVICE_ACCOUNT_USER = `system:serviceaccount:${OPERATOR_NAMESPACE}:${SERVICE_ACCOUNT}`;

interface AuditEvent {
  user?: { username?: string };
  verb?: string;
  objectRef?: { apiGroup?: string; resource?: string; subresource?: string; namespace?: string };
  responseStatus?: { code?: number };
  requestReceivedTimestamp?: string;
  requestURI?: string;
  annotations?: Record<string, string>;
}

/** What the chart's ServiceAccount did, from the dev cluster's audit log: permission → count, and refusals. */
export async function auditedUse(): Promise<{ used: Map<Permission, number>; forbidden: string[] }> {
  const files = layout(process.env.DCOS_OPERATOR_CLUSTER_DIR!);
  const dir = path.dirname(files.auditLog);
  const base = path.basename(files.auditLog, '.log');
  const { readdir } = await import('node:fs/promises');
  // The current log and its rotated backup (audit.log, audit-<time>.log).
  const logs = (await readdir(dir)).filter(
    (f) => f === `${base}.log` || (f.startsWith(`${base}-`) && f.endsWith('.log')),
  );
  if (!existsSync(files.auditLog) && logs.length === 0)
    throw new Error(`no audit log at ${files.auditLog}: restart the dev cluster (npm run cluster:down)`);
  const used = new Map<Permission, number>();
  const forbidden: string[] = [];
  // A reused dev cluster keeps the log of earlier runs (other code, other RBAC): only this run counts.
  const since = process.env.DCOS_OPERATOR_TEST_RUN_STARTED ?? '';
  for (const f of logs) {
    for (const line of (await readFile(path.join(dir, f), 'utf8')).split('\n')) {
      if (!line) continue;
      const e = JSON.parse(line) as AuditEvent;
      if (e.user?.username !== SERVICE_ACCOUNT_USER || !e.objectRef?.resource || !e.verb) continue;
      if ((e.requestReceivedTimestamp ?? '') < since) continue;
      const resource = e.objectRef.subresource
        ? `${e.objectRef.resource}/${e.objectRef.subresource}`
        : e.objectRef.resource;
      const key = `${e.objectRef.apiGroup || 'core'} ${resource} ${e.verb}`;
      // Authorization's verdict, not the status code: admission also answers 403 (a request into a
      // namespace being deleted), after RBAC allowed it.
      if (e.annotations?.['authorization.k8s.io/decision'] === 'forbid') {
        forbidden.push(`${key} (${e.requestURI})`);
        continue;
      }
      used.set(key, (used.get(key) ?? 0) + 1);
      // A server-side apply that makes a new object is audited as a patch answered 201; the API server
      // authorized it as a create as well.
      if (e.verb === 'patch' && e.responseStatus?.code === 201) {
        const created = key.replace(/ patch$/, ' create');
        used.set(created, (used.get(created) ?? 0) + 1);
      }
    }
  }
  return { used, forbidden };
}
