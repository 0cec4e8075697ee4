// What the fixture server saw, for integration tests (the server's URL is ASKLLM_TEST_SERVER).
import type { RecordedRequest } from './fixtureServer';

/** The requests whose URL starts with `prefix` (`anywhere`: contains it), oldest first. */
export async function requests(prefix: string, anywhere = false): Promise<RecordedRequest[]> {
  const log = (await (await fetch(`${process.env.ASKLLM_TEST_SERVER!}/_log`)).json()) as RecordedRequest[];
  return log.filter((r) => r.url.startsWith(prefix) || (anywhere && r.url.includes(prefix)));
}
