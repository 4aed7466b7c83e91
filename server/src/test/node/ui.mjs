// Drives the browser UI in headless Chromium (Debian's, through playwright-core) against genai4j serve
// (run by BrowserUiTest): NER with highlighted entities, zero-shot upload with score bars, a streamed
// generation coloured by expert, fill-mask, the similarity matrix and text to image; saves a screenshot of each.
// Usage: node ui.mjs BASE_URL CHROMIUM SCREENSHOT_DIR IMAGE OUT.json
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';

const [base, executablePath, shots, image, out] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  // WebGL for the 3D viewer without a GPU: ANGLE on SwiftShader, the software renderer
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader'] });
const result = { pageErrors: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  page.on('pageerror', (e) => result.pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') result.pageErrors.push(m.text()); });
  page.setDefaultTimeout(60_000);
  await page.goto(base + '/');
  await page.waitForFunction(() => document.getElementById('server-status').textContent.startsWith('genai4j'));

  // three.js, bundled into the jar at build time, loads as a module under the page's CSP
  result.threeRevision = await page.evaluate(async () => (await import('/ui/vendor/three.module.js')).REVISION);
  result.orbitControls = await page.evaluate(async () => typeof (await import('/ui/vendor/OrbitControls.js')).OrbitControls);

  // NER: type a sentence, run, read the highlighted entities
  await page.fill('#ner-text', 'Barack Obama met Angela Merkel at the Brandenburg Gate in Berlin on Tuesday.');
  await page.fill('#ner-labels', 'person, organization, location');
  await page.fill('#ner-threshold', '0.3');
  await page.click('#ner-run');
  await page.waitForSelector('#ner-output mark.entity');
  result.entities = await page.$$eval('#ner-output mark.entity', (ms) => ms.map((m) => ({
    text: m.firstChild.textContent, label: m.dataset.label, background: getComputedStyle(m).backgroundColor })));
  result.nerText = await page.$eval('#ner-output', (e) => e.textContent);
  await page.screenshot({ path: `${shots}/ner.png`, fullPage: true });

  // zero-shot: upload an image, read the label score bars
  await page.click('#tabs button[data-tab="zero-shot"]');
  await page.setInputFiles('#zs-file', image);
  await page.fill('#zs-labels', 'cat, dog, car');
  await page.click('#zs-run');
  await page.waitForSelector('#zs-output .score-row');
  result.scores = await page.$$eval('#zs-output .score-row', (rows) => rows.map((r) => ({
    label: r.querySelector('.label').textContent, value: r.querySelector('.value').textContent })));
  await page.waitForFunction(() => [...document.querySelectorAll('#zs-output .bar')].every((b) => b.style.width !== ''));
  result.previewShown = await page.$eval('#zs-preview', (i) => !i.hidden && i.naturalWidth > 0);
  await page.screenshot({ path: `${shots}/zero-shot.png`, fullPage: true });

  // generation: stream tokens, coloured by expert
  await page.click('#tabs button[data-tab="generate"]');
  await page.fill('#gen-prompt', 'The river');
  await page.fill('#gen-max', '24');
  await page.fill('#gen-temp', '0');
  await page.click('#gen-run');
  await page.waitForFunction(() => document.getElementById('gen-status').textContent.includes('finished'));
  result.tokens = await page.$$eval('#gen-output .tok', (ts) => ts.map((t) => ({
    text: t.textContent, id: Number(t.dataset.token), routed: !t.classList.contains('unrouted'),
    background: getComputedStyle(t).backgroundColor })));
  result.layers = await page.$$eval('#gen-layer option', (os) => os.length);
  result.genStatus = await page.$eval('#gen-status', (e) => e.textContent);
  await page.screenshot({ path: `${shots}/generate.png`, fullPage: true });

  // fill-mask and similarity, for the screenshots and a basic check
  await page.click('#tabs button[data-tab="fill-mask"]');
  await page.fill('#fm-text', 'the capital of france is [MASK] .');
  await page.click('#fm-run');
  await page.waitForSelector('#fm-output .score-row');
  result.fillMaskRows = await page.$$eval('#fm-output .score-row', (rs) => rs.length);
  await page.screenshot({ path: `${shots}/fill-mask.png`, fullPage: true });
  await page.click('#tabs button[data-tab="similarity"]');
  await page.click('#sim-run');
  await page.waitForSelector('#sim-output table.matrix');
  result.matrix = await page.$$eval('#sim-output td', (tds) => tds.map((t) => Number(t.textContent)));
  await page.screenshot({ path: `${shots}/similarity.png`, fullPage: true });

  // text to image: two images from the diffusion model, shown upscaled with crisp pixels
  await page.click('#tabs button[data-tab="txt2img"]');
  await page.fill('#img-prompt', 'a photo of a sneaker');
  await page.fill('#img-n', '2');
  await page.fill('#img-seed', '3');
  await page.fill('#img-guidance', '3');
  await page.fill('#img-steps', '5');
  await page.click('#img-run');
  await page.waitForFunction(() => {
    const imgs = [...document.querySelectorAll('#img-output img')];
    return imgs.length === 2 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  });
  result.images = await page.$$eval('#img-output img', (is) => is.map((i) => ({
    naturalWidth: i.naturalWidth, naturalHeight: i.naturalHeight, shownWidth: i.getBoundingClientRect().width,
    rendering: getComputedStyle(i).imageRendering, src: i.src })));
  result.imgStatus = await page.$eval('#img-status', (e) => e.textContent);
  await page.screenshot({ path: `${shots}/txt2img.png`, fullPage: true });

  // text to 3D: a cloud from a prompt in the three.js viewer; its pixels are counted, then the view is dragged
  await page.click('#tabs button[data-tab="pointcloud"]');
  await page.fill('#pc-prompt', 'a photo of a bag');
  await page.fill('#pc-seed', '2');
  await page.fill('#pc-guidance', '3');
  await page.fill('#pc-steps', '5');
  await page.click('#pc-run');
  await page.waitForFunction(() => / points in /.test(document.getElementById('pc-status').textContent)
    || document.querySelector('#pc-output .error') !== null);
  result.pcStatus = await page.$eval('#pc-status', (e) => e.textContent);
  result.pcError = await page.$eval('#pc-output', (e) => e.textContent);
  // reads the WebGL canvas back (the renderer keeps its drawing buffer) and counts pixels off the background
  const readCanvas = () => page.evaluate(() => {
    const c = document.querySelector('#pc-viewer canvas');
    if (!c) return null;
    const copy = Object.assign(document.createElement('canvas'), { width: c.width, height: c.height });
    const g = copy.getContext('2d');
    g.drawImage(c, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let off = 0, hash = 0;
    const colours = new Set();
    for (let i = 0; i < d.length; i += 4) {
      const bg = Math.abs(d[i] - 0xf0) + Math.abs(d[i + 1] - 0xf2) + Math.abs(d[i + 2] - 0xf6) < 12;
      if (!bg) { off++; colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]); hash = (hash * 31 + i) | 0; }
    }
    return { width: c.width, height: c.height, offBackground: off, colours: colours.size, hash,
      webgl2: !!c.getContext('webgl2') };
  });
  result.cloudBefore = await readCanvas();
  const box = await page.locator('#pc-viewer canvas').boundingBox();
  if (box) {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 30, { steps: 8 });
    await page.mouse.up();
  }
  result.cloudAfter = await readCanvas();
  result.pcWarnings = await page.$$eval('#pc-warnings li', (ls) => ls.map((l) => l.textContent));
  result.pcSourceShown = await page.$eval('#pc-source', (i) => !i.hidden && i.naturalWidth > 0);
  await page.screenshot({ path: `${shots}/pointcloud.png`, fullPage: true });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#pc-download')]);
  const ply = readFileSync(await download.path());
  result.ply = { name: download.suggestedFilename(), bytes: ply.length,
    header: ply.subarray(0, ply.indexOf('end_header\n') + 11).toString('latin1') };
} finally {
  await browser.close();
  writeFileSync(out, JSON.stringify(result));
}
