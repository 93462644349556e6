// The one place that turns "where is this object" into kstatus conditions: Ready (positive polarity),
// Reconciling and Stalled (abnormal-true), every one carrying observedGeneration, lastTransitionTime
// moving only when a status flips. Flux's `wait`, `kubectl wait --for=condition=Ready` and
// kstatus read exactly these.

import type { Condition } from '../resources/conditions.ts';

export type { Condition };

export type Phase =
  /** Done: the world matches the spec. */
  | { state: 'ready'; reason?: string; message: string }
  /** Work under way (a rollout, an ARM long-running operation). */
  | { state: 'progressing'; reason: string; message: string }
  /** A transient error; the operator retries by itself. */
  | { state: 'retrying'; reason: string; message: string }
  /** Cannot progress without a change to the spec or the environment. */
  | { state: 'stalled'; reason: string; message: string }
  | { state: 'deleting'; message: string };

export const READY = 'Ready';
export const RECONCILING = 'Reconciling';
export const STALLED = 'Stalled';

const REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
const MAX_MESSAGE = 32768;

interface Triple {
  ready: [boolean, string];
  reconciling: [boolean, string];
  stalled: [boolean, string];
}

function triple(phase: Phase): Triple {
  switch (phase.state) {
    case 'ready': {
      const reason = phase.reason ?? 'Succeeded';
      return { ready: [true, reason], reconciling: [false, reason], stalled: [false, reason] };
    }
    case 'progressing':
      return {
        ready: [false, phase.reason],
        reconciling: [true, phase.reason],
        stalled: [false, phase.reason],
      };
    case 'retrying':
      return {
        ready: [false, phase.reason],
        reconciling: [true, 'ProgressingWithRetry'],
        stalled: [false, phase.reason],
      };
    case 'stalled':
      return {
        ready: [false, phase.reason],
        reconciling: [false, phase.reason],
        stalled: [true, phase.reason],
      };
    case 'deleting':
      return { ready: [false, 'Deleting'], reconciling: [true, 'Deleting'], stalled: [false, 'Deleting'] };
  }
}

/**
 * Computes the full condition list for a phase, keeping domain conditions (other types) that the
 * caller passes in `extra`, and preserving lastTransitionTime of conditions whose status is unchanged.
 */
export function summarize(
  phase: Phase,
  generation: number,
  existing: readonly Condition[] | undefined,
  now: Date,
  extra: ReadonlyArray<Omit<Condition, 'lastTransitionTime' | 'observedGeneration'>> = [],
): Condition[] {
  const t = triple(phase);
  const message = truncate(phase.message);
  const wanted: Array<Omit<Condition, 'lastTransitionTime' | 'observedGeneration'>> = [
    { type: READY, status: t.ready[0] ? 'True' : 'False', reason: t.ready[1], message },
    { type: RECONCILING, status: t.reconciling[0] ? 'True' : 'False', reason: t.reconciling[1], message },
    { type: STALLED, status: t.stalled[0] ? 'True' : 'False', reason: t.stalled[1], message },
    ...extra.map((c) => ({ ...c, message: truncate(c.message) })),
  ];
  return wanted.map((c) => {
    if (!REASON.test(c.reason)) throw new Error(`condition reason "${c.reason}" is not CamelCase`);
    const before = existing?.find((e) => e.type === c.type);
    const lastTransitionTime =
      before && before.status === c.status
        ? before.lastTransitionTime
        : now.toISOString().replace(/\.\d+Z$/, 'Z');
    return { ...c, observedGeneration: generation, lastTransitionTime };
  });
}

/** Status fields every resource carries. */
export interface KStatus {
  observedGeneration: number;
  conditions: Condition[];
}

export function kstatus(
  phase: Phase,
  generation: number,
  existing: readonly Condition[] | undefined,
  now: Date,
  extra?: Parameters<typeof summarize>[4],
): KStatus {
  return { observedGeneration: generation, conditions: summarize(phase, generation, existing, now, extra) };
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

function truncate(message: string): string {
  return message.length <= MAX_MESSAGE ? message : message.slice(0, MAX_MESSAGE - 1) + '…';
}
