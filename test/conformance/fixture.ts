// What the conformance suite is run against: servers on 127.0.0.1 and ::1 that the Node
// side starts, described in plain JSON so that a Deno or Bun runner can be handed it.

export interface Fixture {
  /** http://127.0.0.1:port, HTTP/1.1. */
  http: string;
  /** http://[::1]:port, HTTP/1.1. */
  http6: string;
  /** https://localhost:port, HTTP/2 with HTTP/1.1 as fallback, certified by `caPem`. */
  https: string;
  /** The test CA, PEM. */
  caPem: string;
  /** A port on 127.0.0.1 where nothing listens. */
  refused: string;
  /** A name that does not resolve. */
  unresolvable: string;
  /** GET /big on any server answers this many bytes with this sha256. */
  bigSize: number;
  bigSha256: string;
  /** GET /gzip answers this text, gzip-encoded. */
  gzipText: string;
}

/** One pass of the suite: which transport, and what it must refuse. */
export interface Run {
  /** Wrap the runtime's default transport in allowListTransport with these pairs. */
  allowList?: string[];
  /** URLs the transport must refuse by policy (allow-list or the runtime's permissions). */
  blocked: string[];
}

export interface Plan {
  fixture: Fixture;
  runs: Run[];
}
