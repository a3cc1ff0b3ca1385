/** Runs `fn` over `items` with at most `limit` in flight, keeping order; stops starting work once `signal` aborts. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, signal: AbortSignal, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      if (signal.aborted) throw signal.reason;
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
