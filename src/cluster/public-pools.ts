// Which agent pools of an ACS definition are DC/OS public agent pools: Mesos role slave_public, attribute
// public_ip:yes, fronted by a public Azure load balancer. The rule changed with the API version (acs-engine
// pkg/api/convertertoapi.go and pkg/api/v20170701/validate.go).
import type { Decoded } from './acs-definition.ts';
import { isAcsEra } from './acs-schema.ts';
import type { AcsApiVersion } from './acs-schema.ts';

/** The ports ACS opened on a public pool's load balancer when the definition named none. */
export const DEFAULT_PUBLIC_PORTS: readonly number[] = [80, 443, 8080];

/**
 * Whether `pool` is public.
 * - ACS-era versions (2016-03-30, 2016-09-30, 2017-01-31): when the pool has a dnsPrefix key. ACS tested for a
 *   non-empty dnsPrefix; the upstream examples mark their public pool with the placeholder `"dnsPrefix": ""` that
 *   `acs-engine deploy` filled in, so the key alone counts.
 * - 2017-07-01 and vlabs: when `ports` is non-empty, or a non-empty dnsPrefix is given without ports (the ports
 *   then defaulted to 80, 443 and 8080). An empty dnsPrefix alone is a placeholder and keeps the pool private.
 */
export function isPublicPool(pool: Decoded, version: AcsApiVersion): boolean {
  if (isAcsEra(version)) return pool.has('dnsPrefix');
  return (pool.numbers('ports') ?? []).length > 0 || (pool.string('dnsPrefix') ?? '') !== '';
}

/** The ports the pool's public load balancer had: none for a private pool. */
export function publicPorts(pool: Decoded, version: AcsApiVersion): number[] {
  if (!isPublicPool(pool, version)) return [];
  const ports = isAcsEra(version) ? [] : (pool.numbers('ports') ?? []);
  return ports.length > 0 ? [...new Set(ports)] : [...DEFAULT_PUBLIC_PORTS];
}
