// Waiting for DOM-style events in tests.

/** Resolves with the next `type` event of `target`. */
export function nextEvent<E extends Event = Event>(target: EventTarget, type: string): Promise<E> {
  return new Promise((resolve) => {
    target.addEventListener(type, (event) => resolve(event as E), { once: true });
  });
}

/** Records the type of every event of `types` fired on `target`, in order. */
export function recordEvents(target: EventTarget, types: string[]): string[] {
  const seen: string[] = [];
  for (const type of types) target.addEventListener(type, () => seen.push(type));
  return seen;
}

/** Resolves with the next `count` message events' data. */
export function nextMessages<T = unknown>(target: EventTarget, count: number): Promise<T[]> {
  const data: T[] = [];
  return new Promise((resolve) => {
    const onMessage = (event: Event) => {
      data.push((event as MessageEvent).data as T);
      if (data.length < count) return;
      target.removeEventListener('message', onMessage);
      resolve(data);
    };
    target.addEventListener('message', onMessage);
  });
}
