// Kubernetes versions as AKS takes them on agent pools: "1.33.5" or "1.33" (the cluster's patch of that minor).

export interface Version {
  major: number;
  minor: number;
  patch: number;
}

export function parseVersion(v: string): Version | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(v);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

/** Negative, zero or positive as a sorts before, with or after b. */
export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** Minor releases from a to b (b - a), across majors as if minors were contiguous. */
export function minorDistance(a: Version, b: Version): number {
  return (b.major - a.major) * 1000 + (b.minor - a.minor);
}

/** The full version a requested "major.minor[.patch]" stands for on a cluster at `clusterVersion`. */
export function resolveVersion(requested: string, clusterVersion: string): string {
  if (/^\d+\.\d+\.\d+$/.test(requested)) return requested;
  const c = parseVersion(clusterVersion);
  const r = parseVersion(requested);
  if (c && r && c.major === r.major && c.minor === r.minor) return clusterVersion;
  return `${requested}.0`;
}
