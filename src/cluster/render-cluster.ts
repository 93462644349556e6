// `render cluster`'s pure part: an ACS / acs-engine cluster definition (JSON) or a DcosCluster (YAML) → the
// DcosCluster to apply and the agent pool bodies the operator would PUT, as ARM receives them. Secrets in
// the definition (the Windows admin password, the service principal secret) have no use on AKS: they are
// left out of the DcosCluster, and a warning says so.
import type { AgentPool } from '@azure/arm-containerservice';
import { parse } from 'yaml';
import { API_GROUP_VERSION } from '../resources/group.ts';
import { dcosClusterSpecSchema, LOCAL_SUBSCRIPTION_ID } from '../resources/dcos-cluster.ts';
import type { Provider } from '../resources/dcos-cluster.ts';
import type { AcsError } from './acs-definition.ts';
import { foldKey } from './acs-fields.ts';
import { planCluster } from './agent-pool-plan.ts';
import type { ClusterPlan } from './agent-pool-plan.ts';

export interface RenderClusterOptions {
  name: string;
  namespace: string;
  provider: Provider;
  subscriptionId?: string;
  resourceGroup?: string;
  managedClusterName?: string;
}

export interface PoolRequest {
  /** The request path under the managed cluster, e.g. agentPools/agentpublic. */
  path: string;
  /** The body as it goes on the wire: everything under `properties`. */
  body: { properties: Record<string, unknown> };
}

export type RenderClusterResult =
  | {
      ok: true;
      cluster: Record<string, unknown>;
      plan: ClusterPlan;
      requests: PoolRequest[];
      warnings: string[];
    }
  | { ok: false; errors: AcsError[] };

/** [object key, field] pairs whose values are secrets, matched case-insensitively as ACS did. */
const SECRETS: readonly [string, string][] = [
  ['windowsprofile', 'adminpassword'],
  ['serviceprincipalprofile', 'secret'],
];

export function renderCluster(text: string, opts: RenderClusterOptions): RenderClusterResult {
  let input: unknown;
  try {
    input = parse(text);
  } catch (err) {
    return {
      ok: false,
      errors: [{ path: '', message: `malformed JSON or YAML: ${(err as Error).message}` }],
    };
  }
  const fromResource = isRecord(input) && input.kind === 'DcosCluster' && isRecord(input.spec);
  const definition = fromResource ? (input as { spec: Record<string, unknown> }).spec : input;
  if (!isRecord(definition) || !isRecord(definition.properties)) {
    return {
      ok: false,
      errors: [{ path: 'properties', message: 'a cluster definition needs a properties object' }],
    };
  }
  const meta = fromResource && isRecord(input) && isRecord(input.metadata) ? input.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : opts.name;
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : opts.namespace;
  const planned = planCluster(definition, { ownerTag: `${namespace}/${name}` });
  if (!planned.ok) return planned;

  const warnings: string[] = [];
  const properties = withoutSecrets(definition.properties, warnings);
  const target = {
    provider: opts.provider,
    subscriptionId: opts.subscriptionId ?? LOCAL_SUBSCRIPTION_ID,
    resourceGroup: opts.resourceGroup ?? 'dcos',
    managedClusterName: opts.managedClusterName ?? 'dcos',
    ...(fromResource && isRecord(definition.target) ? definition.target : {}),
  };
  const spec: Record<string, unknown> = {
    ...(typeof definition.apiVersion === 'string' ? { apiVersion: definition.apiVersion } : {}),
    ...(typeof definition.location === 'string' ? { location: definition.location } : {}),
    properties,
    target,
  };
  const checked = dcosClusterSpecSchema.safeParse(spec);
  if (!checked.success) {
    return {
      ok: false,
      errors: checked.error.issues.map((i) => ({
        path: `target.${i.path.slice(1).join('.')}`,
        message: i.message,
      })),
    };
  }
  for (const u of planned.plan.unmapped) warnings.push(`${u.path}: ${u.reason}`);
  return {
    ok: true,
    cluster: { apiVersion: API_GROUP_VERSION, kind: 'DcosCluster', metadata: { name, namespace }, spec },
    plan: planned.plan,
    requests: planned.plan.pools.map((p) => ({ path: `agentPools/${p.name}`, body: wireBody(p.body) })),
    warnings,
  };
}

/** The SDK's flattened pool model as ARM's JSON: properties nested, `typePropertiesType` back to `type`. */
export function wireBody(pool: AgentPool): { properties: Record<string, unknown> } {
  const {
    id: _id,
    name: _name,
    type: _type,
    typePropertiesType,
    ...rest
  } = pool as AgentPool & {
    typePropertiesType?: string;
  };
  const properties: Record<string, unknown> = { ...rest };
  if (typePropertiesType !== undefined) properties.type = typePropertiesType;
  return { properties };
}

function withoutSecrets(properties: Record<string, unknown>, warnings: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...properties };
  for (const [objectKey, field] of SECRETS) {
    const key = Object.keys(out).find((k) => foldKey(k) === objectKey);
    const inner = key ? out[key] : undefined;
    if (!key || !isRecord(inner)) continue;
    const secretKey = Object.keys(inner).find((k) => foldKey(k) === field);
    if (!secretKey) continue;
    const { [secretKey]: _secret, ...kept } = inner;
    out[key] = kept;
    warnings.push(`properties.${key}.${secretKey}: left out of the DcosCluster (a secret AKS does not use)`);
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
