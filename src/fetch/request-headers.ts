// Request headers for curl, from every HeadersInit form, with duplicates kept in order and
// no header refused: a browser's forbidden names (Host, Cookie, Origin...) go out as given.

export type HeaderPairs = Array<[string, string]>;

/** Headers as given: a Headers object (as it already is), pairs, or a record. */
export function headerPairs(init: HeadersInit | undefined): HeaderPairs {
  if (!init) return [];
  if (typeof Headers !== 'undefined' && init instanceof Headers) return [...init.entries()];
  if (Array.isArray(init) || isIterable(init)) {
    return [...(init as Iterable<Iterable<string>>)].map((pair) => {
      const items = [...pair];
      if (items.length !== 2) throw new TypeError('fetch: a header pair needs a name and a value');
      return [String(items[0]), String(items[1])];
    });
  }
  return Object.entries(init as Record<string, string>).map(([name, value]) => [
    name,
    String(value),
  ]);
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof (value as Iterable<unknown>)?.[Symbol.iterator] === 'function';
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function checkHeader(name: string, value: string): void {
  if (!TOKEN.test(name)) throw new TypeError(`fetch: invalid header name '${name}'`);
  if (/[\r\n\0]/.test(value)) throw new TypeError(`fetch: invalid value for header '${name}'`);
}

export function hasHeader(pairs: HeaderPairs, name: string): boolean {
  const lower = name.toLowerCase();
  return pairs.some(([n]) => n.toLowerCase() === lower);
}

export function withoutHeaders(pairs: HeaderPairs, names: string[]): HeaderPairs {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  return pairs.filter(([n]) => !drop.has(n.toLowerCase()));
}

/**
 * curl's HTTPHEADER lines. An empty value needs curl's "Name;" spelling, and "Name:" removes
 * a header curl would add on its own (Expect, a default Content-Type).
 */
export function curlHeaderLines(pairs: HeaderPairs, removals: string[]): string[] {
  const lines = pairs.map(([name, value]) => {
    checkHeader(name, value);
    const trimmed = value.trim();
    return trimmed === '' ? `${name};` : `${name}: ${trimmed}`;
  });
  for (const name of removals) if (!hasHeader(pairs, name)) lines.push(`${name}:`);
  return lines;
}
