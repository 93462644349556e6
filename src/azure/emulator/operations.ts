// Asynchronous operations: the record the state keeps per accepted write, and the status resource ARM
// serves for it at …/locations/{region}/operations/{id}.
import type { PoolRef } from './model.ts';

export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';
export type OperationKind = 'create' | 'update' | 'delete' | 'abort';

export interface OperationError {
  code: string;
  message: string;
}

export interface OperationRecord {
  id: string;
  kind: OperationKind;
  pool: PoolRef;
  location: string;
  status: OperationStatus;
  /** The pool's provisioningState while this runs (Creating, Scaling, Deleting, Canceling, …). */
  poolState: string;
  /** Clock time the operation completes at; undefined once an abort has taken it over. */
  dueAt: number | undefined;
  startTime: string;
  endTime?: string;
  error?: OperationError;
  /** Fault injection decided, on acceptance, that this one fails. */
  willFail: boolean;
  /** An abort's target operation. */
  aborts?: string;
}

export interface OperationStatusBody {
  name: string;
  status: OperationStatus;
  startTime: string;
  endTime?: string;
  error?: OperationError;
}

export function isTerminal(status: OperationStatus): boolean {
  return status !== 'InProgress';
}

export function operationStatusBody(op: OperationRecord): OperationStatusBody {
  return {
    name: operationName(op.id),
    status: op.status,
    startTime: op.startTime,
    ...(op.endTime ? { endTime: op.endTime } : {}),
    ...(op.error ? { error: { ...op.error } } : {}),
  };
}

/**
 * The `name` AKS reports for an operation: its id printed as a little-endian GUID, i.e. the bytes of the
 * first three groups reversed (a41c7b2a-b8a7-4cba-… becomes 2a7b1ca4-a7b8-ba4c-…).
 */
export function operationName(id: string): string {
  const groups = id.split('-');
  if (groups.length !== 5) return id;
  const swap = (hex: string) => (hex.match(/../g) ?? []).reverse().join('');
  return [swap(groups[0] ?? ''), swap(groups[1] ?? ''), swap(groups[2] ?? ''), groups[3], groups[4]].join(
    '-',
  );
}

/** ARM's timestamp format: ISO 8601 with seven fractional digits. */
export function armTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}
