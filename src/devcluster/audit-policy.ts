// The dev cluster's audit policy: requests made by ServiceAccounts of the operator's namespace are logged
// at Metadata level (who, verb, resource, namespace, response code; no bodies), everything else not at
// all. The chart tests run the operator under its chart's ServiceAccount and read this log to show that
// every permission the chart grants is one the operator uses.

/** The namespace the tests install the chart into. */
export const OPERATOR_NAMESPACE = 'dcos-operator-system';

export function renderAuditPolicy(namespace = OPERATOR_NAMESPACE): string {
  return [
    'apiVersion: audit.k8s.io/v1',
    'kind: Policy',
    'omitStages: [RequestReceived]',
    'rules:',
    '  - level: Metadata',
    `    userGroups: ["system:serviceaccounts:${namespace}"]`,
    '  - level: None',
    '',
  ].join('\n');
}
