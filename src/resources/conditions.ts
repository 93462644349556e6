// metav1.Condition, reproduced field for field, and the status fields every resource of the operator shares.
import { z } from 'zod';

export const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;

/** A condition type: CamelCase, optionally prefixed by a DNS subdomain (`example.com/Ready`). */
export const CONDITION_TYPE_PATTERN =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/;

/** A reason: CamelCase, no spaces. */
export const CONDITION_REASON_PATTERN = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;

export const conditionSchema = z
  .object({
    type: z
      .string()
      .max(316)
      .regex(CONDITION_TYPE_PATTERN)
      .describe(
        'Aspect of the state this condition reports, in CamelCase (Ready, Reconciling, Stalled, ...).',
      ),
    status: z.enum(CONDITION_STATUSES).describe('Whether the condition holds: True, False or Unknown.'),
    observedGeneration: z
      .int()
      .min(0)
      .optional()
      .describe('metadata.generation of the object this condition was computed from.'),
    lastTransitionTime: z.iso
      .datetime({ offset: true })
      .describe('When status last changed (not reason or message), in RFC 3339.'),
    reason: z
      .string()
      .min(1)
      .max(1024)
      .regex(CONDITION_REASON_PATTERN)
      .describe('Programmatic CamelCase identifier for the last transition.'),
    message: z.string().max(32768).describe('Human-readable details of the last transition; may be empty.'),
  })
  .describe('One aspect of the current state of the object (metav1.Condition).');

export type Condition = z.infer<typeof conditionSchema>;
export type ConditionStatus = Condition['status'];

/** Conditions keyed by type: server-side apply merges them per entry, and a type appears at most once. */
export const conditionsSchema = z
  .array(conditionSchema)
  .meta({
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['type'],
  })
  .describe('Latest observations of the object state. Ready is always set after the first reconcile.');

export const statusBaseShape = {
  observedGeneration: z
    .int()
    .min(0)
    .optional()
    .describe('metadata.generation of the spec the operator last acted on (status is current when equal).'),
  conditions: conditionsSchema.optional(),
};

/** Status fields common to every resource; extend it with the resource's own fields. */
export const statusBaseSchema = z
  .object(statusBaseShape)
  .describe('Observed state, written by the operator.');

export type StatusBase = z.infer<typeof statusBaseSchema>;
