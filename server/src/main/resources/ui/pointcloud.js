// The Text to 3D tab's viewer: a coloured THREE.Points cloud with OrbitControls and a camera fitted to the
// cloud, plus the cloud as a binary PLY file. Loaded by app.js on first use, so the other tabs work in a
// build without three.js (scripts/bundle-three.sh copies it into ui/vendor/ from npm).
import * as THREE from '/ui/vendor/three.module.js';
import { OrbitControls } from '/ui/vendor/OrbitControls.js';

export const BACKGROUND = 0xf0f2f6;

/** sRGB in [0, 1] (what Point-E's colours are) to the linear values three.js blends in. */
const linear = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);

export class CloudViewer {
  constructor(container) {
    this.container = container;
    // preserveDrawingBuffer: the picture can be read back (the browser test counts its pixels; users can screenshot it)
    this.renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(window.devicePixelRatio || 1);
    this.renderer.setClearColor(BACKGROUND);
    container.replaceChildren(this.renderer.domElement);
    this.scene = new THREE.Scene();
    this.camera = new THREE.PerspectiveCamera(45, 1, 0.01, 100);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.addEventListener('change', () => this.render());   // draws on demand: no loop burning CPU while idle
    this.points = null;
    new ResizeObserver(() => this.resize()).observe(container);
    this.resize();
  }

  resize() {
    const w = Math.max(1, this.container.clientWidth), h = Math.max(1, this.container.clientHeight);
    this.renderer.setSize(w, h, false);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.render();
  }

  /** Shows rows [x, y, z, r, g, b] (colours in [0, 1]) and points the camera at them. */
  show(rows) {
    const n = rows.length;
    const pos = new Float32Array(3 * n), col = new Float32Array(3 * n);
    rows.forEach((p, i) => {
      for (let k = 0; k < 3; k++) {
        pos[3 * i + k] = p[k];
        col[3 * i + k] = linear(Math.min(1, Math.max(0, p[3 + k])));
      }
    });
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.BufferAttribute(pos, 3));
    geometry.setAttribute('color', new THREE.BufferAttribute(col, 3));
    geometry.computeBoundingSphere();
    const { center, radius } = geometry.boundingSphere;
    const r = radius > 0 && Number.isFinite(radius) ? radius : 1;
    if (this.points) {
      this.scene.remove(this.points);
      this.points.geometry.dispose();
      this.points.material.dispose();
    }
    // point size in world units, relative to the cloud, so any scale looks alike
    const material = new THREE.PointsMaterial({ size: r * 0.045, vertexColors: true, sizeAttenuation: true });
    this.points = new THREE.Points(geometry, material);
    this.scene.add(this.points);
    this.fit(center, r);
  }

  /** Camera at a three-quarter view, far enough that the bounding sphere fills the view. */
  fit(center, radius) {
    const fov = THREE.MathUtils.degToRad(this.camera.fov);
    const distance = (radius / Math.sin(fov / 2)) * 1.15;
    const dir = new THREE.Vector3(1, 0.8, 1.4).normalize();
    this.camera.position.copy(center).addScaledVector(dir, distance);
    this.camera.near = Math.max(distance / 100, 1e-4);
    this.camera.far = distance * 10;
    this.camera.updateProjectionMatrix();
    this.controls.target.copy(center);
    this.controls.minDistance = radius * 0.2;
    this.controls.maxDistance = distance * 5;
    this.controls.update();
    this.render();
  }

  render() { this.renderer.render(this.scene, this.camera); }
}

/** Rows [x, y, z, r, g, b] as the server's ?format=ply writes them: binary little-endian, float xyz, uchar rgb. */
export function plyBytes(rows) {
  const header = 'ply\nformat binary_little_endian 1.0\ncomment genai4j point cloud\nelement vertex ' + rows.length
    + '\nproperty float x\nproperty float y\nproperty float z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n';
  const head = new TextEncoder().encode(header);
  const buf = new ArrayBuffer(head.length + 15 * rows.length);
  new Uint8Array(buf).set(head);
  const view = new DataView(buf);
  let at = head.length;
  for (const p of rows) {
    for (let k = 0; k < 3; k++, at += 4) view.setFloat32(at, p[k], true);
    for (let k = 0; k < 3; k++) view.setUint8(at++, Math.round(Math.min(1, Math.max(0, p[3 + k])) * 255));
  }
  return new Uint8Array(buf);
}
