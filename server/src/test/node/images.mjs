// The real npm 'openai' client's images.generate against a running genai4j server (driven by OpenAiNodeClientTest):
// two 32×32 PNGs from the shipped diffusion model, then a size the model cannot make (the client raises our 400).
// Usage: GENAI4J_BASE_URL=http://127.0.0.1:PORT/v1 OPENAI_API_KEY=KEY node images.mjs OUT.json
import OpenAI from 'openai';
import { writeFileSync } from 'node:fs';

const out = process.argv[2];
const client = new OpenAI({ baseURL: process.env.GENAI4J_BASE_URL, apiKey: process.env.OPENAI_API_KEY, maxRetries: 0 });
// seed and steps are genai4j's own fields: the client sends unknown fields as they are
const images = await client.images.generate({ model: 'diffusion-fashion-mnist', prompt: 'a photo of a sneaker', n: 2, size: '32x32',
  response_format: 'b64_json', seed: 4, steps: 4 });

let badSizeStatus = 0;
let badSizeMessage = '';
try {
  await client.images.generate({ prompt: 'a photo of a sneaker', size: '1024x1024', steps: 1 });
} catch (e) {
  if (!(e instanceof OpenAI.BadRequestError)) throw e;
  badSizeStatus = e.status;
  badSizeMessage = e.error?.message ?? e.message;
}
writeFileSync(out, JSON.stringify({ images, badSizeStatus, badSizeMessage }));
