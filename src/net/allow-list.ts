// A transport that reaches only the host:port pairs it was given: the capability a plugin
// host hands out. Targets are compared as curl names them, never resolved first, so a name
// that happens to resolve to an allowed address is refused unless it is listed itself.
import { formatTarget, parseTarget } from './target.js';
import {
  TransportError,
  type Connection,
  type ConnectionEvents,
  type Transport,
  type TransportTarget,
} from './transport.js';

/**
 * `inner`, limited to `allowed` (`'api.example:443'`, `'127.0.0.1:8080'`, `'[::1]:80'`;
 * `'localhost:8080'` stands for 127.0.0.1 and ::1 at that port). Any other target fails at
 * once with a TransportError 'EACCES' naming it, which curl reports as
 * CURLE_COULDNT_CONNECT.
 */
export function allowListTransport(inner: Transport, allowed: Iterable<string>): Transport {
  const keys = new Set([...allowed].flatMap((entry) => keysOf(parseTarget(entry))));
  return {
    name: `allow-list(${inner.name})`,
    connect(target, events) {
      const key = keyOf(target);
      if (key !== null && keys.has(key)) return inner.connect(target, events);
      return refusal(target, events);
    },
  };
}

// curl resolves `localhost` itself (to 127.0.0.1 and ::1) and never hands the name to a
// transport, so listing it allows the loopback addresses at that port instead.
function keysOf(target: TransportTarget): string[] {
  if (target.host !== 'localhost') return [formatTarget(target)];
  return ['127.0.0.1', '::1'].map((host) => formatTarget({ host, port: target.port }));
}

// The socket table hands over canonical hosts already; a transport stacked on another
// might not, and anything that does not parse is simply not on the list.
function keyOf(target: TransportTarget): string | null {
  try {
    return formatTarget(parseTarget(formatTarget(target)));
  } catch {
    return null;
  }
}

/** A connection that never opens: its error comes on a microtask, as a real failure would. */
function refusal(target: TransportTarget, events: ConnectionEvents): Connection {
  let live = true;
  queueMicrotask(() => {
    if (!live) return;
    const what = formatTarget(target);
    events.error(new TransportError('EACCES', `allow-list: ${what} is not on the allow-list`));
    events.close();
  });
  return {
    write: () => {},
    bufferedAmount: 0,
    pause: () => {},
    resume: () => {},
    end: () => {},
    destroy: () => {
      live = false;
    },
  };
}
