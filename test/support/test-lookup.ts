// A resolver for the proxy in tests: it knows a few test names and nothing else, so no test
// ever sends a DNS query off this machine.
export const TEST_NAMES: Record<string, string[]> = {
  'origin.test': ['127.0.0.1'],
  'intranet.test': ['127.0.0.1'],
};

export const testLookup = async (host: string): Promise<string[]> => {
  const found = TEST_NAMES[host];
  if (found) return found;
  throw Object.assign(new Error(`test resolver: no such host ${host}`), { code: 'ENOTFOUND' });
};
