// The real npm 'openai' client against a running genai4j server (driven by OpenAiNodeClientTest).
// Usage: GENAI4J_BASE_URL=http://127.0.0.1:PORT/v1 OPENAI_API_KEY=KEY node embeddings.mjs OUT.json
import OpenAI from 'openai';
import { writeFileSync } from 'node:fs';

const out = process.argv[2];
const baseURL = process.env.GENAI4J_BASE_URL;
const sentFormats = [];
// records what the client really sends, so the test can see that its default (base64) was used
const recordingFetch = (url, init) => {
  if (init && typeof init.body === 'string') sentFormats.push(JSON.parse(init.body).encoding_format ?? null);
  return fetch(url, init);
};
const client = new OpenAI({ baseURL, apiKey: process.env.OPENAI_API_KEY, maxRetries: 0, fetch: recordingFetch });
const input = ['A cat sits on the mat.', 'Stock markets fell sharply today.'];

const base64 = await client.embeddings.create({ model: 'all-minilm-l6-v2', input });
const float = await client.embeddings.create({ model: 'all-minilm-l6-v2', input, encoding_format: 'float' });

let wrongKeyStatus = 0;
let wrongKeyCode = '';
try {
  await new OpenAI({ baseURL, apiKey: 'wrong-key', maxRetries: 0 }).embeddings.create({ model: 'all-minilm-l6-v2', input: 'x' });
} catch (e) {
  if (!(e instanceof OpenAI.AuthenticationError)) throw e;
  wrongKeyStatus = e.status;
  wrongKeyCode = e.code;
}
writeFileSync(out, JSON.stringify({ base64, float, sentFormats, wrongKeyStatus, wrongKeyCode }));
