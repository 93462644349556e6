// unreachableStrategy → NoExecute tolerations for unreachable and not-ready nodes. Marathon starts a
// replacement inactiveAfterSeconds after an agent becomes unreachable; Kubernetes evicts the pod (and its
// controller replaces it) once the toleration expires. 'disabled' never replaces: tolerate forever.
import type { V1Toleration } from '@kubernetes/client-node';
import type { NormalizedApp } from '../app.ts';
import type { Draft, TranslateContext } from './draft.ts';

const NODE_FAILURE_TAINTS = ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready'] as const;

export function applyUnreachableStrategy(app: NormalizedApp, _ctx: TranslateContext, d: Draft): void {
  const s = app.unreachableStrategy;
  const seconds = s === 'disabled' ? {} : { tolerationSeconds: s.inactiveAfterSeconds };
  const tolerations: V1Toleration[] = NODE_FAILURE_TAINTS.map((key) => ({
    key,
    operator: 'Exists',
    effect: 'NoExecute',
    ...seconds,
  }));
  (d.pod.tolerations ??= []).push(...tolerations);
  if (s !== 'disabled' && s.expungeAfterSeconds !== s.inactiveAfterSeconds) {
    d.notes.push({
      path: '/unreachableStrategy/expungeAfterSeconds',
      kind: 'approximated',
      message:
        `the pod is evicted and replaced after ${s.inactiveAfterSeconds}s; Kubernetes removes it when its node ` +
        `returns or is deleted, not after ${s.expungeAfterSeconds}s`,
    });
  }
}
