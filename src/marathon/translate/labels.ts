// Marathon labels → pod labels (where Kubernetes' syntax allows) plus one annotation holding all of them
// verbatim: Marathon label values are free text, Kubernetes label values are not.
import type { NormalizedApp } from '../app.ts';
import { MANAGED_BY_LABELS } from '../names.ts';
import type { Draft, TranslateContext } from './draft.ts';

/** Pod annotation with the app's labels as a JSON object, exactly as given. */
export const MARATHON_LABELS_ANNOTATION = 'dcos-operator.dev/marathon-labels';

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes qualified name: [prefix/]name, prefix a DNS subdomain (≤253), name ≤63. Annotation keys too. */
export function isValidLabelKey(k: string): boolean {
  const slash = k.indexOf('/');
  const prefix = slash >= 0 ? k.slice(0, slash) : undefined;
  const name = slash >= 0 ? k.slice(slash + 1) : k;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && NAME.test(name);
}

/** A valid label value for any text: other characters → '_', at most 63, alphanumeric at both ends. */
export function sanitizeLabelValue(v: string): string {
  return v
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

export function applyLabels(app: NormalizedApp, ctx: TranslateContext, d: Draft): void {
  const keys = Object.keys(app.labels).sort();
  if (keys.length === 0) return;
  const reserved = new Set([...Object.keys(ctx.selector), ...Object.keys(MANAGED_BY_LABELS)]);
  for (const key of keys) {
    const value = app.labels[key] ?? '';
    // Labels set by earlier steps are the operator's own; keys Kubernetes rejects live only in the annotation.
    if (!isValidLabelKey(key) || reserved.has(key) || Object.hasOwn(d.podLabels, key)) continue;
    d.podLabels[key] = sanitizeLabelValue(value);
  }
  // fromEntries defines own properties, so even a key like "__proto__" survives.
  const raw = Object.fromEntries(keys.map((k) => [k, app.labels[k] ?? '']));
  d.podAnnotations[MARATHON_LABELS_ANNOTATION] = JSON.stringify(raw);
}
