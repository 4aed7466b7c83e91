// genai4j browser UI: plain ES module, no build step. Talks to the same server's JSON API.
const $ = (id) => document.getElementById(id);
const PALETTE = ['#fde68a', '#bfdbfe', '#bbf7d0', '#fecaca', '#ddd6fe', '#fed7aa', '#a5f3fc', '#fbcfe8',
  '#d9f99d', '#c7d2fe', '#fef08a', '#99f6e4', '#e9d5ff', '#fca5a5', '#bae6fd', '#d6d3d1'];
const colour = (i) => PALETTE[i % PALETTE.length];

// ---- API -------------------------------------------------------------------------------------
const keyInput = $('api-key');
keyInput.value = localStorage.getItem('genai4j.apiKey') || '';
keyInput.addEventListener('change', () => { localStorage.setItem('genai4j.apiKey', keyInput.value.trim()); loadInfo(); });

function headers(json) {
  const h = {};
  if (json) h['Content-Type'] = 'application/json';
  const key = keyInput.value.trim();
  if (key) h['Authorization'] = 'Bearer ' + key;
  return h;
}

/** The server's error message from a failed response (always JSON there). */
async function failure(res) {
  try {
    const j = await res.json();
    return new Error(j.error?.message || `HTTP ${res.status}`);
  } catch {
    return new Error(`HTTP ${res.status}`);
  }
}

async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: headers(true), body: JSON.stringify(body) });
  if (!res.ok) throw await failure(res);
  return res.json();
}

/** Runs an action from a button: disables it meanwhile and shows any error in the output. */
function action(button, output, fn) {
  $(button).addEventListener('click', async () => {
    const b = $(button);
    b.disabled = true;
    try {
      await fn();
    } catch (e) {
      showError($(output), e);
    } finally {
      b.disabled = false;
    }
  });
}

function showError(el, e) {
  el.replaceChildren(Object.assign(document.createElement('p'), { className: 'error', textContent: e.message || String(e) }));
}

const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  for (const c of children) e.append(c);
  return e;
};

// ---- tabs and server info --------------------------------------------------------------------
function show(tab) {
  for (const b of document.querySelectorAll('#tabs button')) b.setAttribute('aria-selected', String(b.dataset.tab === tab));
  for (const p of document.querySelectorAll('.panel')) p.hidden = p.id !== 'panel-' + tab;
}
for (const b of document.querySelectorAll('#tabs button')) {
  b.addEventListener('click', () => { history.replaceState(null, '', '#' + b.dataset.tab); show(b.dataset.tab); });
}
show((location.hash || '#ner').slice(1));

async function loadInfo() {
  const status = $('server-status');
  try {
    const res = await fetch('/info', { headers: headers(false) });
    if (!res.ok) throw await failure(res);
    const info = await res.json();
    const byTask = {};
    for (const m of info.models) (byTask[m.task] ||= []).push(m.id);
    for (const s of document.querySelectorAll('.model')) {
      const ids = byTask[s.dataset.task];
      s.textContent = ids ? ids[0] : 'not configured on this server';
    }
    $('gen-max').max = info.limits.max_new_tokens;
    $('img-n').max = info.limits.max_generated_images;
    status.textContent = `genai4j ${info.version} · ${info.threads.compute} compute threads`;
    status.classList.remove('error');
  } catch (e) {
    status.textContent = 'Cannot read /info: ' + e.message;
    status.classList.add('error');
  }
}
loadInfo();

// ---- NER -------------------------------------------------------------------------------------
action('ner-run', 'ner-output', async () => {
  const text = $('ner-text').value;
  const labels = $('ner-labels').value.split(',').map((s) => s.trim()).filter(Boolean);
  const r = await post('/ner', { text, labels, threshold: Number($('ner-threshold').value) });
  const cps = Array.from(text);   // offsets count code points
  const out = $('ner-output');
  out.replaceChildren();
  let at = 0;
  for (const e of r.entities) {
    out.append(cps.slice(at, e.start).join(''));
    const m = el('mark', { className: 'entity', title: `${e.label} ${(e.score * 100).toFixed(1)}%` }, cps.slice(e.start, e.end).join(''),
      el('span', { className: 'tag', textContent: e.label }));
    m.dataset.label = e.label;
    m.style.setProperty('--c', colour(labels.indexOf(e.label)));
    out.append(m);
    at = e.end;
  }
  out.append(cps.slice(at).join(''));
  if (r.entities.length === 0) out.append(el('p', { className: 'status', textContent: 'No entities above the threshold.' }));
  legend($('ner-legend'), labels.map((l, i) => [l, colour(i)]));
});

function legend(box, items) {
  box.replaceChildren(...items.map(([name, c]) => {
    const s = el('span', { textContent: name });
    s.style.setProperty('--c', c);
    return s;
  }));
}

// ---- fill-mask -------------------------------------------------------------------------------
action('fm-run', 'fm-output', async () => {
  const r = await post('/fill-mask', { text: $('fm-text').value, top_k: Number($('fm-topk').value) });
  const out = $('fm-output');
  out.replaceChildren();
  r.predictions.forEach((list, i) => {
    const box = el('div', { className: 'fm-mask' }, el('strong', { textContent: r.predictions.length > 1 ? `Mask ${i + 1}` : 'Predictions' }));
    for (const p of list) box.append(scoreRow(p.token_str.trim() || p.token_str, p.score));
    out.append(box);
  });
});

function scoreRow(label, score) {
  const bar = el('div', { className: 'bar' });
  const row = el('div', { className: 'score-row' }, el('span', { className: 'label', textContent: label }),
    el('div', { className: 'track' }, bar), el('span', { className: 'value', textContent: (score * 100).toFixed(1) + '%' }));
  requestAnimationFrame(() => { bar.style.width = (score * 100).toFixed(2) + '%'; });
  return row;
}

// ---- zero-shot image classification ----------------------------------------------------------
$('zs-file').addEventListener('change', () => {
  const f = $('zs-file').files[0];
  const img = $('zs-preview');
  if (img.src) URL.revokeObjectURL(img.src);
  if (f) { img.src = URL.createObjectURL(f); img.hidden = false; } else { img.hidden = true; }
});
action('zs-run', 'zs-output', async () => {
  const f = $('zs-file').files[0];
  if (!f) throw new Error('Choose an image first.');
  const form = new FormData();
  form.append('image', f, f.name);
  form.append('labels', $('zs-labels').value);
  const res = await fetch('/zero-shot', { method: 'POST', headers: headers(false), body: form });
  if (!res.ok) throw await failure(res);
  const r = await res.json();
  $('zs-output').replaceChildren(...r.predictions.map((p) => scoreRow(p.label, p.score)),
    el('p', { className: 'status', textContent: `${r.image.width} × ${r.image.height} px · ${r.model}` }));
});

// ---- similarity ------------------------------------------------------------------------------
action('sim-run', 'sim-output', async () => {
  const texts = $('sim-texts').value.split('\n').map((s) => s.trim()).filter(Boolean);
  if (texts.length < 2) throw new Error('Write at least two lines.');
  const r = await post('/embed', { texts });
  const v = r.embeddings;
  const norm = v.map((x) => Math.hypot(...x));
  const cos = (i, j) => v[i].reduce((s, x, k) => s + x * v[j][k], 0) / (norm[i] * norm[j]);
  const table = el('table', { className: 'matrix' });
  table.append(el('tr', {}, el('th'), ...texts.map((_, j) => el('th', { textContent: '#' + (j + 1) }))));
  texts.forEach((t, i) => {
    const tr = el('tr', {}, el('th', { textContent: `#${i + 1} ${t}`, title: t }));
    texts.forEach((_, j) => {
      const c = cos(i, j);
      const td = el('td', { textContent: c.toFixed(2) });
      td.style.setProperty('--c', `rgba(47, 95, 208, ${Math.max(0, c).toFixed(3)})`);
      if (c > 0.6) td.style.color = '#fff';
      tr.append(td);
    });
    table.append(tr);
  });
  $('sim-output').replaceChildren(table, el('p', { className: 'status', textContent: `${r.model}, ${r.dimensions} dimensions` }));
});

// ---- generation, streamed, tokens coloured by expert -----------------------------------------
let running = null;   // the AbortController of the stream in flight
const tokens = [];    // {span, experts} of the current output

/** Colours each token by its first-choice expert at the chosen layer; the legend lists the experts seen. */
function paintTokens() {
  const layer = Number($('gen-layer').value || 0);
  const seen = new Set();
  for (const t of tokens) {
    if (!t.experts) continue;
    const e = t.experts[layer][0];
    seen.add(e);
    t.span.style.setProperty('--c', colour(e));
  }
  legend($('gen-legend'), [...seen].sort((a, b) => a - b).map((e) => [`expert ${e}`, colour(e)]));
}
$('gen-layer').addEventListener('change', paintTokens);

function setLayers(n) {
  const sel = $('gen-layer');
  if (sel.options.length === n) return;
  sel.replaceChildren(...Array.from({ length: n }, (_, i) => el('option', { value: String(i), textContent: `layer ${i}` })));
  sel.value = String(n - 1);
}

/** Reads server-sent events from a fetch response, calling onEvent with each parsed data line. */
async function readEvents(res, onEvent) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const event = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      for (const line of event.split('\n')) {
        if (!line.startsWith('data: ')) continue;
        const data = line.slice(6);
        if (data === '[DONE]') return;
        onEvent(JSON.parse(data));
      }
    }
  }
}

$('gen-stop').addEventListener('click', () => running?.abort());
action('gen-run', 'gen-output', async () => {
  const prompt = $('gen-prompt').value;
  const chat = $('gen-mode').value === 'chat';
  const out = $('gen-output');
  const status = $('gen-status');
  tokens.length = 0;
  out.replaceChildren(chat ? '' : el('span', { className: 'prompt', textContent: prompt }));
  const body = { max_tokens: Number($('gen-max').value), temperature: Number($('gen-temp').value), stream: true,
    stream_options: { include_usage: true } };
  if (chat) body.messages = [{ role: 'user', content: prompt }]; else body.prompt = prompt;
  running = new AbortController();
  $('gen-stop').disabled = false;
  status.textContent = 'Generating…';
  const t0 = performance.now();
  let finish = null, usage = null, n = 0;
  try {
    const res = await fetch(chat ? '/v1/chat/completions' : '/v1/completions',
      { method: 'POST', headers: headers(true), body: JSON.stringify(body), signal: running.signal });
    if (!res.ok) throw await failure(res);
    await readEvents(res, (chunk) => {
      if (chunk.error) throw new Error(chunk.error.message);
      if (chunk.usage) usage = chunk.usage;
      const c = chunk.choices?.[0];
      if (!c) return;
      if (c.finish_reason) finish = c.finish_reason;
      const text = chat ? c.delta?.content : c.text;
      if (c.genai4j_token === undefined) return;   // role or finish chunk
      n++;
      const span = el('span', { className: 'tok', textContent: text ?? '' });
      const experts = c.genai4j_experts;
      if (experts) {
        setLayers(experts.length);
        span.title = experts.map((e, l) => `layer ${l}: experts ${e.join(', ')}`).join('\n');
      } else {
        span.classList.add('unrouted');
        span.title = 'last token: not fed back, so not routed';
      }
      span.dataset.token = c.genai4j_token;
      tokens.push({ span, experts });
      out.append(span);
      paintTokens();
    });
    const s = (performance.now() - t0) / 1000;
    status.textContent = `${usage ? usage.completion_tokens : n} tokens in ${s.toFixed(2)} s` + (finish ? ` · finished: ${finish}` : '')
      + (usage ? ` · prompt ${usage.prompt_tokens} tokens` : '');
  } catch (e) {
    if (e.name === 'AbortError') status.textContent = `Stopped after ${n} tokens.`;
    else throw e;
  } finally {
    running = null;
    $('gen-stop').disabled = true;
  }
});

// ---- text to image ---------------------------------------------------------------------------
action('img-run', 'img-output', async () => {
  const body = { prompt: $('img-prompt').value, n: Number($('img-n').value), guidance: Number($('img-guidance').value),
    steps: Number($('img-steps').value) };
  const seed = $('img-seed').value.trim();
  if (seed !== '') body.seed = Number(seed);
  const status = $('img-status');
  status.textContent = 'Sampling…';
  const t0 = performance.now();
  try {
    const r = await post('/v1/images/generations', body);
    $('img-output').replaceChildren(...r.data.map((d, i) => el('img', { src: 'data:image/png;base64,' + d.b64_json,
      alt: `image ${i + 1} for “${body.prompt}”`, title: `image ${i + 1}` })));
    status.textContent = `${r.data.length} image${r.data.length === 1 ? '' : 's'} in ${((performance.now() - t0) / 1000).toFixed(2)} s`
      + (body.seed !== undefined ? ` · seed ${body.seed}` : '');
  } catch (e) {
    status.textContent = '';
    throw e;
  }
});

// ---- text to 3D: a point cloud in an interactive three.js viewer ---------------------------------
let viewer = null;     // the CloudViewer, made on first use (three.js loads then)
let plyUrl = null;     // the object URL behind the download link

/** The file as base64 (no data: prefix), for the JSON body. */
function fileBase64(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).slice(String(r.result).indexOf(',') + 1));
    r.onerror = () => reject(new Error('Cannot read the file: ' + r.error));
    r.readAsDataURL(file);
  });
}

action('pc-run', 'pc-output', async () => {
  const file = $('pc-file').files[0];
  const body = { guidance: Number($('pc-guidance').value) };
  if (file) body.image = await fileBase64(file); else { body.prompt = $('pc-prompt').value; body.steps = Number($('pc-steps').value); }
  const seed = $('pc-seed').value.trim();
  if (seed !== '') body.seed = Number(seed);
  const points = $('pc-points').value.trim();
  if (points !== '') body.points = Number(points);
  const status = $('pc-status');
  $('pc-output').replaceChildren();
  status.textContent = file ? 'Making a cloud from the image…' : 'Drawing the prompt, then making its cloud…';
  const t0 = performance.now();
  try {
    const [r, mod] = await Promise.all([post('/point-cloud', body), import('./pointcloud.js')]);
    viewer ||= new mod.CloudViewer($('pc-viewer'));
    viewer.show(r.points);
    if (plyUrl) URL.revokeObjectURL(plyUrl);
    plyUrl = URL.createObjectURL(new Blob([mod.plyBytes(r.points)], { type: 'application/octet-stream' }));
    Object.assign($('pc-download'), { href: plyUrl, hidden: false, textContent: `Download PLY (${r.count} points)` });
    const src = $('pc-source');
    if (r.conditioning_image) { src.src = 'data:image/png;base64,' + r.conditioning_image; src.hidden = false; }
    else if (file) { if (src.src.startsWith('blob:')) URL.revokeObjectURL(src.src); src.src = URL.createObjectURL(file); src.hidden = false; }
    else src.hidden = true;
    $('pc-warnings').replaceChildren(...(r.warnings || []).map((w) => el('li', { textContent: w })));
    status.textContent = `${r.count} points in ${((performance.now() - t0) / 1000).toFixed(2)} s · ${r.model}`
      + (r.caption ? ` · “${r.caption}”` : '') + (body.seed !== undefined ? ` · seed ${body.seed}` : '');
  } catch (e) {
    status.textContent = '';
    throw e;
  }
});
