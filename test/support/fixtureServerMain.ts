// Standalone fixture server for the integration/e2e runners, the start script and the bench.
// Prints "LISTENING <url>" on its first line of stdout.
import { startFixtureServer } from './fixtureServer';

void startFixtureServer({ port: Number(process.env.ASKLLM_FIXTURE_PORT ?? 0) }).then((s) => {
  process.stdout.write(`LISTENING ${s.url}\n`);
  const stop = () => void s.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
});
