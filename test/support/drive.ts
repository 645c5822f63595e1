// curl's classic multi loop (perform, read messages, select), for tests that need a multi of
// their own rather than easy.perform()'s shared one.
import { CURLM, type Completed, type Curl, type Multi } from '../../src/index.js';

/** Runs the transfers added to `multi` until none is left running; returns how each ended. */
export async function drive(curl: Curl, multi: Multi): Promise<Completed[]> {
  const done: Completed[] = [];
  for (;;) {
    let step;
    do step = multi.perform();
    while (step.code === CURLM.CALL_MULTI_PERFORM);
    done.push(...multi.infoRead());
    if (step.running === 0) return done;
    const timeout = multi.timeout();
    await curl.select(multi.fdset(), timeout < 0 ? 100 : Math.min(timeout, 1000));
  }
}
