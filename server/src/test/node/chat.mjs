// The real npm 'openai' client's chat and completions calls against genai4j serve (driven by OpenAiNodeClientTest).
// Usage: GENAI4J_BASE_URL=http://127.0.0.1:PORT/v1 OPENAI_API_KEY=KEY node chat.mjs OUT.json
import OpenAI from 'openai';
import { writeFileSync } from 'node:fs';

const out = process.argv[2];
const client = new OpenAI({ baseURL: process.env.GENAI4J_BASE_URL, apiKey: process.env.OPENAI_API_KEY, maxRetries: 0 });
const messages = [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Tell me about the river.' }];
// ignore_eos is vLLM's extra field: the client sends body fields it does not know as they are
const params = { model: 'moe-tiny', messages, max_tokens: 10, temperature: 0, ignore_eos: true };

const whole = await client.chat.completions.create(params);
const stream = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
const chunks = [];
for await (const chunk of stream) chunks.push(chunk);
const completion = await client.completions.create({ model: 'moe-tiny', prompt: 'The river', max_tokens: 5, temperature: 0, ignore_eos: true });

let badStatus = 0;
let badCode = '';
try {
  await client.chat.completions.create({ model: 'moe-tiny', messages: [] });
} catch (e) {
  if (!(e instanceof OpenAI.BadRequestError)) throw e;
  badStatus = e.status;
  badCode = e.code;
}
writeFileSync(out, JSON.stringify({ whole, chunks, completion, badStatus, badCode }));
