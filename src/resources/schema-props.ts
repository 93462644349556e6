// The wire form of apiextensions.k8s.io/v1 JSONSchemaProps: what a CRD's openAPIV3Schema is made of.

export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

export type CelReason =
  'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';

/** One entry of `x-kubernetes-validations`. */
export interface CelValidation {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: CelReason;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

export interface JsonSchemaProps {
  type?: SchemaType;
  description?: string;
  properties?: Record<string, JsonSchemaProps>;
  required?: string[];
  items?: JsonSchemaProps;
  additionalProperties?: JsonSchemaProps | boolean;
  allOf?: JsonSchemaProps[];
  anyOf?: JsonSchemaProps[];
  oneOf?: JsonSchemaProps[];
  not?: JsonSchemaProps;
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: CelValidation[];
  [keyword: string]: unknown;
}

/** Every keyword the API server's JSONSchemaProps knows; anything else is dropped (or rejected in strict mode). */
export const KNOWN_KEYWORDS: ReadonlySet<string> = new Set([
  'id',
  '$schema',
  '$ref',
  'description',
  'type',
  'format',
  'title',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'multipleOf',
  'enum',
  'maxProperties',
  'minProperties',
  'required',
  'items',
  'allOf',
  'oneOf',
  'anyOf',
  'not',
  'properties',
  'additionalProperties',
  'patternProperties',
  'dependencies',
  'additionalItems',
  'definitions',
  'externalDocs',
  'example',
  'nullable',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
]);

/** Keywords that hold one sub-schema, a list of sub-schemas, or a map of named sub-schemas. */
export const SCHEMA_KEYWORDS = {
  single: [
    'items',
    'additionalProperties',
    'not',
    'additionalItems',
    'propertyNames',
    'contains',
    'if',
    'then',
    'else',
  ],
  list: ['allOf', 'anyOf', 'oneOf', 'prefixItems'],
  map: ['properties', 'patternProperties', 'definitions', '$defs', 'dependencies'],
} as const;
