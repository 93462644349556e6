// Helpers for unit tests that wait on real timers.

/** Resolves once cond() holds, polling every few milliseconds; rejects after ms. */
export async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 2));
  }
}
