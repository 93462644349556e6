// Open deployments across apps. One REST call that changes several apps (a bulk PUT, a group) answers
// with one deployment id that every app's deployment carries: Marathon announced it once and ended it once,
// when its last app was done, failed if any app's part failed. The ledger counts the parts per id.

export interface Outcome {
  outcome: 'success' | 'failed';
  reason?: string | undefined;
}

export class DeploymentLedger {
  private readonly open = new Map<string, { parts: Set<string>; failure?: string }>();

  /** Records app `part` taking part in deployment `id`; true when the deployment is new (to announce). */
  start(id: string, part: string): boolean {
    const entry = this.open.get(id);
    if (entry) {
      entry.parts.add(part);
      return false;
    }
    this.open.set(id, { parts: new Set([part]) });
    return true;
  }

  /** Records the end of app `part`'s share; the deployment's outcome when that was its last open part,
   * undefined while other apps still deploy it (or when it was not open). */
  end(id: string, part: string, outcome: Outcome): Outcome | undefined {
    const entry = this.open.get(id);
    if (!entry?.parts.delete(part)) return undefined;
    if (outcome.outcome === 'failed') entry.failure ??= outcome.reason ?? 'failed';
    if (entry.parts.size > 0) return undefined;
    this.open.delete(id);
    return entry.failure !== undefined
      ? { outcome: 'failed', reason: entry.failure }
      : { outcome: 'success' };
  }

  /** Forgets app `part`'s share without an outcome (a stand-in replaced under another id). */
  forget(id: string, part: string): void {
    const entry = this.open.get(id);
    if (entry?.parts.delete(part) && entry.parts.size === 0) this.open.delete(id);
  }

  isOpen(id: string): boolean {
    return this.open.has(id);
  }

  get size(): number {
    return this.open.size;
  }
}
