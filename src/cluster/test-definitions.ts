// Test support: cluster definitions shaped like the upstream acs-engine examples, for the src/cluster tests.
// Not used by production code.
type Json = Record<string, unknown>;

export interface DefOptions {
  apiVersion?: string | null;
  master?: Json | null;
  pools?: unknown[] | null;
  /** Merged into properties; a null value removes the field. */
  properties?: Record<string, unknown>;
}

export const privatePool = (extra: Json = {}): Json => ({
  name: 'private',
  count: 2,
  vmSize: 'Standard_D2s_v3',
  ...extra,
});

export const publicPool = (extra: Json = {}): Json => ({
  name: 'public',
  count: 2,
  vmSize: 'Standard_D2s_v3',
  dnsPrefix: '',
  ports: [80, 443, 8080],
  ...extra,
});

/** A valid definition (vlabs unless told), shaped like the upstream examples. */
export function def(options: DefOptions = {}): Json {
  const properties: Json = {
    orchestratorProfile: { orchestratorType: 'DCOS' },
    masterProfile:
      options.master === undefined ? { count: 1, dnsPrefix: '', vmSize: 'Standard_D2s_v3' } : options.master,
    agentPoolProfiles: options.pools === undefined ? [privatePool(), publicPool()] : options.pools,
    linuxProfile: { adminUsername: 'azureuser', ssh: { publicKeys: [{ keyData: '' }] } },
    ...options.properties,
  };
  for (const [k, v] of Object.entries(properties)) if (v === null) delete properties[k];
  const out: Json = { properties };
  if (options.apiVersion !== null) out.apiVersion = options.apiVersion ?? 'vlabs';
  return out;
}
