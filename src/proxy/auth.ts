// Who may use the proxy: a token in the URL or the Authorization header, or a Wisp v2
// username and password. Secrets are compared through their hashes, in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Credentials } from '../net/wisp-packets.js';

function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The token the request carries: `?token=` or `Authorization: Bearer ...`. */
function tokenOf(request: IncomingMessage, url: URL): string | null {
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
  return bearer?.[1]?.trim() ?? url.searchParams.get('token');
}

export function tokenMatches(request: IncomingMessage, url: URL, token: string): boolean {
  const given = tokenOf(request, url);
  return given !== null && sameSecret(given, token);
}

export function passwordMatches(users: ReadonlyMap<string, string>, given: Credentials): boolean {
  const expected = users.get(given.username);
  // An unknown user costs the same comparison as a wrong password.
  return sameSecret(given.password, expected ?? '\0unknown user') && expected !== undefined;
}
