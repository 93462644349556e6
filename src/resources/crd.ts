// Builds an apiextensions.k8s.io/v1 CustomResourceDefinition from a resource definition whose spec and status
// are zod schemas: the same schemas the operator parses objects with at runtime.
import type { z } from 'zod';
import { API_GROUP, API_VERSION, CATEGORY } from './group.ts';
import type { JsonSchemaProps } from './schema-props.ts';
import { zodToOpenApi } from './zod-openapi.ts';

export interface PrinterColumn {
  name: string;
  type: 'integer' | 'number' | 'string' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  format?: string;
  /** 0 shows in `kubectl get`; 1 only with `-o wide`. */
  priority?: number;
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface ResourceDefinition {
  /** API group and version, the same for every resource: `defineResource` fills them in. */
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames?: readonly string[];
  /** Besides the shared `dcos` category. */
  categories?: readonly string[];
  scope: 'Namespaced' | 'Cluster';
  /** Top-level description shown by `kubectl explain <kind>`. */
  description: string;
  spec: z.ZodType;
  status: z.ZodType;
  printerColumns?: readonly PrinterColumn[];
  scale?: ScaleSubresource;
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  subresources: { status: Record<string, never>; scale?: ScaleSubresource };
  additionalPrinterColumns?: PrinterColumn[];
  schema: { openAPIV3Schema: JsonSchemaProps };
}

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    group: string;
    names: {
      kind: string;
      listKind: string;
      plural: string;
      singular: string;
      shortNames?: string[];
      categories: string[];
    };
    scope: 'Namespaced' | 'Cluster';
    versions: CrdVersion[];
  };
}

/** A resource of the operator's API group and version. */
export function defineResource(def: Omit<ResourceDefinition, 'group' | 'version'>): ResourceDefinition {
  return { group: API_GROUP, version: API_VERSION, ...def };
}

export function crdName(def: Pick<ResourceDefinition, 'plural' | 'group'>): string {
  return `${def.plural}.${def.group}`;
}

export function buildCrd(def: ResourceDefinition): CustomResourceDefinition {
  const openAPIV3Schema: JsonSchemaProps = {
    description: def.description,
    type: 'object',
    properties: {
      apiVersion: {
        description: 'Versioned schema of this representation of the object, as group/version.',
        type: 'string',
      },
      kind: { description: 'REST resource this object represents, in CamelCase.', type: 'string' },
      metadata: { type: 'object' },
      spec: zodToOpenApi(def.spec),
      // Until the operator first writes status, the object reads as not observed yet: kstatus (Flux,
      // Argo CD's health checks, kubectl wait) reports InProgress instead of Current for an empty status.
      status: { ...zodToOpenApi(def.status), default: { observedGeneration: 0 } },
    },
    required: ['spec'],
  };
  const version: CrdVersion = {
    name: def.version,
    served: true,
    storage: true,
    subresources: { status: {}, ...(def.scale ? { scale: { ...def.scale } } : {}) },
    ...(def.printerColumns?.length
      ? { additionalPrinterColumns: def.printerColumns.map((c) => ({ ...c })) }
      : {}),
    schema: { openAPIV3Schema },
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crdName(def), labels: { 'app.kubernetes.io/part-of': 'dcos-operator' } },
    spec: {
      group: def.group,
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.singular,
        ...(def.shortNames?.length ? { shortNames: [...def.shortNames] } : {}),
        categories: [...new Set([CATEGORY, ...(def.categories ?? [])])],
      },
      scope: def.scope,
      versions: [version],
    },
  };
}
