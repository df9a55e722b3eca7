/**
 * The one way tests wait for the hub: poll a condition until it holds, or fail naming what was
 * awaited and for how long.
 */
export async function waitFor(condition: () => Promise<boolean> | boolean, o: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<void> {
  const timeout = o.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${o.what ?? 'a condition'}`);
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 100));
  }
}
