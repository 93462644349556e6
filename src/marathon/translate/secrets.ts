// DC/OS secrets → Kubernetes Secrets. A DC/OS secret is one value at a store path (/prod/db/password);
// the app refers to it by the name of an entry in `secrets`. Each store path maps to a Secret named after
// the path (slashes become dashes) holding the value under the key "value":
//   kubectl create secret generic prod-db-password --from-literal=value=...
import { createHash } from 'node:crypto';
import type { NormalizedApp } from '../app.ts';

export const SECRET_VALUE_KEY = 'value';

export interface SecretRef {
  /** Kubernetes Secret name. */
  name: string;
  key: string;
}

/** The Kubernetes Secret that stands for a DC/OS secret store path. */
export function secretNameForSource(source: string): string {
  const slug = source
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  if (slug.length > 0 && slug.length <= 253) return slug;
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 10);
  return `secret-${slug.slice(0, 200).replace(/[^a-z0-9]+$/, '')}-${hash}`.replace(/--+/g, '-');
}

/** The Secret behind the app's `secrets[name]`; undefined when the app has no such entry. */
export function secretRef(app: NormalizedApp, name: string): SecretRef | undefined {
  const entry = app.secrets[name];
  if (!entry) return undefined;
  return { name: secretNameForSource(entry.source), key: SECRET_VALUE_KEY };
}
