// A resolver for tests that knows only localhost: a name it does not know fails at once with
// ENOTFOUND, as DNS would, without a query leaving the machine.
import type { LookupFunction } from 'node:net';

export const localOnlyLookup: LookupFunction = (hostname, options, callback) => {
  const all = typeof options === 'object' && options.all;
  if (hostname !== 'localhost') {
    const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
      code: 'ENOTFOUND',
      hostname,
    });
    process.nextTick(() => (callback as (e: Error) => void)(error));
    return;
  }
  const address = { address: '127.0.0.1', family: 4 };
  process.nextTick(() =>
    all
      ? (callback as (e: null, a: (typeof address)[]) => void)(null, [address])
      : (callback as (e: null, a: string, f: number) => void)(
          null,
          address.address,
          address.family,
        ),
  );
};
