// The header lines of the last response curl received, for CURLOPT_HEADERFUNCTION: a status
// line starts a new response (a 1xx, a redirect), so only the final one's headers remain.
const decoder = new TextDecoder('latin1');

export class ReplyHeaders {
  #headers: Record<string, string> = {};

  /** The headers by lower-case name; repeated ones joined with ", ". */
  get all(): Record<string, string> {
    return { ...this.#headers };
  }

  onLine = (chunk: Uint8Array): void => {
    const line = decoder.decode(chunk).trimEnd();
    if (/^HTTP\/\d/.test(line)) {
      this.#headers = {};
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const before = this.#headers[name];
    this.#headers[name] = before === undefined ? value : `${before}, ${value}`;
  };
}
