// An untrusted plugin. It imports nothing that reaches the network: all it has is the curl
// its host lends it. It asks for each URL it was configured with and reports what happened.

/** Fetches each of `urls` with `curl`; returns, for each, the status or the CurlError. */
export async function run(curl, urls) {
  const outcomes = [];
  for (const url of urls) {
    try {
      const response = await curl.fetch(url);
      outcomes.push({ url, status: response.status, body: await response.text() });
    } catch (error) {
      // fetch() rejects with TypeError('fetch failed'); curl's own error is the cause.
      outcomes.push({ url, error: error.cause ?? error });
    }
  }
  return outcomes;
}
