// Every custom resource of the operator; CRDs are generated from this list.
import type { ResourceDefinition } from './crd.ts';
import { dcosClusterResource } from './dcos-cluster.ts';
import { marathonAppResource } from './marathon-app.ts';
import { universePackageResource } from './universe-package.ts';
import { universeRepositoryResource } from './universe-repository.ts';

export const RESOURCES: readonly ResourceDefinition[] = [
  marathonAppResource,
  dcosClusterResource,
  universePackageResource,
  universeRepositoryResource,
];
