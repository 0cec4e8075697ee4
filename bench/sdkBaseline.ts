// The floor for time to first token: the bare openai SDK in plain Node reading the same stream.
// Prints JSON: for each run, first response byte (server's write of the first marker) → first delta.
import OpenAI from 'openai';

async function main() {
  const [url, runs] = [process.argv[2], Number(process.argv[3] ?? 10)];
  const client = new OpenAI({ apiKey: 'bench', baseURL: url, maxRetries: 0 });
  const out: Array<{ requestSentAt: number; firstDeltaAt: number }> = [];
  for (let i = 0; i < runs; i++) {
    const requestSentAt = performance.timeOrigin + performance.now();
    const stream = await client.chat.completions.create({ model: 'bench', stream: true, messages: [{ role: 'user', content: 'bench' }] });
    let firstDeltaAt = 0;
    for await (const chunk of stream) {
      if (!firstDeltaAt && chunk.choices[0]?.delta?.content) firstDeltaAt = performance.timeOrigin + performance.now();
    }
    out.push({ requestSentAt, firstDeltaAt });
  }
  process.stdout.write(JSON.stringify(out));
}
void main();
