// Read-your-writes for API callers: after a write, wait (bounded) until the operator's cache shows it, so the
// caller's next request, answered from that cache, sees what it just did.

/** Resolves true once `done()` holds, false when `timeoutMs` passed first. */
export async function waitUntil(done: () => boolean, timeoutMs: number, stepMs = 25): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() >= end) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return true;
}
