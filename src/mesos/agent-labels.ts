// How Mesos agent facts are written on Kubernetes nodes. MarathonApp placement reads these labels and
// DcosCluster agent pools write them, so both sides share this one definition.
import { createHash } from 'node:crypto';

/** Node label prefix of Mesos agent attributes: attribute `rack_id` is node label attribute.dcos-operator.dev/rack_id. */
export const ATTRIBUTE_LABEL_PREFIX = 'attribute.dcos-operator.dev/';
/** Node label (value 'true') and taint (true:NoSchedule) of the nodes that stand for DC/OS public agents. */
export const PUBLIC_AGENT_LABEL = 'dcos-operator.dev/public-agent';
/** Node label with the agent's Mesos role file: `slave` (private agent) or `slave_public` (public agent). */
export const MESOS_ROLE_LABEL = 'dcos-operator.dev/mesos-role';
/** The taint that keeps apps off public agents unless they accept slave_public. */
export const PUBLIC_AGENT_TAINT = { key: PUBLIC_AGENT_LABEL, value: 'true', effect: 'NoSchedule' } as const;

const LABEL_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_PART_MAX = 63;

/** A valid label name or non-empty label value for `s`: `s` itself when valid, else a sanitized form. */
export function sanitizeLabelPart(s: string): string {
  if (s.length <= LABEL_PART_MAX && LABEL_PART.test(s)) return s;
  const slug = s.replace(/[^-A-Za-z0-9_.]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  if (slug.length > 0 && slug.length <= LABEL_PART_MAX) return slug;
  // Too long or nothing left: a hash keeps distinct fields apart.
  const hash = createHash('sha256').update(s).digest('hex').slice(0, 8);
  const head = slug.slice(0, LABEL_PART_MAX - 9).replace(/[^A-Za-z0-9]+$/, '');
  return head ? `${head}-${hash}` : hash;
}

/** The node label that carries Mesos attribute `name`. */
export function attributeLabelKey(name: string): string {
  return ATTRIBUTE_LABEL_PREFIX + sanitizeLabelPart(name);
}

/** The node label value for an attribute value ('' stays '': an empty label value is valid). */
export function attributeLabelValue(value: string): string {
  return value === '' ? value : sanitizeLabelPart(value);
}
