// The API group, version and category shared by every custom resource of the operator.

export const API_GROUP = 'dcos-operator.dev';
export const API_VERSION = 'v1alpha1';
export const API_GROUP_VERSION = `${API_GROUP}/${API_VERSION}` as const;

/** `kubectl get dcos` lists every kind in this category. */
export const CATEGORY = 'dcos';
