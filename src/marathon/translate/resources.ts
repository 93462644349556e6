// cpus/mem/disk/gpus and resourceLimits → the container's requests and limits. Mesos treats mem as a hard
// limit (the cgroup's), cpus as a share (a quota only when resourceLimits.cpus says so) and does not enforce
// disk by default, so only memory gets a default limit.
import type { NormalizedApp } from '../app.ts';
import type { Draft, TranslateContext } from './draft.ts';

const KI = 1024;
const MI = KI * KI;

/** A CPU amount in millicores; Kubernetes' smallest CPU unit is 1m. */
export function cpuQuantity(cpus: number): string {
  return `${Math.max(1, Math.round(cpus * 1000))}m`;
}

/**
 * MiB → an exact Kubernetes quantity: Mi when whole, else Ki when whole, else bytes (truncated, as Mesos
 * converts MiB to bytes). Multiplying by powers of two is exact in floating point.
 */
export function mibQuantity(mib: number): string {
  if (Number.isInteger(mib)) return `${mib}Mi`;
  if (Number.isInteger(mib * KI)) return `${mib * KI}Ki`;
  return String(Math.trunc(mib * MI));
}

export function applyResources(app: NormalizedApp, _ctx: TranslateContext, d: Draft): void {
  const requests: Record<string, string> = { cpu: cpuQuantity(app.cpus) };
  const limits: Record<string, string> = {};
  if (app.mem > 0) {
    requests.memory = mibQuantity(app.mem);
    limits.memory = mibQuantity(app.mem);
  }
  if (app.disk > 0) requests['ephemeral-storage'] = mibQuantity(app.disk);
  // Extended resources need request == limit; giving only the limit makes Kubernetes copy it to the request.
  if (app.gpus > 0) limits['nvidia.com/gpu'] = String(app.gpus);

  const cpuLimit = app.resourceLimits?.cpus;
  if (typeof cpuLimit === 'number' && cpuLimit > 0) limits.cpu = cpuQuantity(cpuLimit);
  const memLimit = app.resourceLimits?.mem;
  if (memLimit === 'unlimited') delete limits.memory;
  else if (typeof memLimit === 'number' && memLimit > 0) limits.memory = mibQuantity(memLimit);

  d.container.resources = { requests, ...(Object.keys(limits).length > 0 ? { limits } : {}) };
}
