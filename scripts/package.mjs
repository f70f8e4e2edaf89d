// Packages the extension as a .vsix: a production build (minified bundles, no source maps), then vsce
// with no node_modules (the bundles carry their dependencies), then a check of what went in. Prints the
// path and size of the .vsix.
// Usage: node scripts/package.mjs [--out FILE]     package (default: topolint-<version>.vsix at the root)
//        node scripts/package.mjs --icon           redraw media/icon.png
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync, inflateRawSync } from 'node:zlib';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

// ---------------------------------------------------------------------------------------------------------
// The icon: a small service graph on the gallery banner's colour, one node flagged in amber. Drawn here so
// that it can be redrawn without an image editor; the PNG is committed.

/** Coverage (0..1) of the pixel (x, y) by the shapes, sampled on a 4×4 grid for smooth edges. */
function coverage(x, y, inside) {
  let n = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (inside(x + (i + 0.5) / 4, y + (j + 0.5) / 4)) n++;
  return n / 16;
}

function distToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

export function drawIcon(size = 128) {
  const s = size / 128;
  const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
  const nodes = { entry: [32, 36], a: [88, 30], b: [60, 72], c: [98, 94], d: [30, 98] };
  const edges = [['entry', 'a'], ['entry', 'b'], ['a', 'b'], ['b', 'c'], ['b', 'd'], ['a', 'c']];
  // Layers from the bottom up: each is a colour and a test of whether a point is inside.
  const layers = [
    {
      color: hex('#1f2937'),
      inside: (x, y) => {
        const r = 24 * s;
        const cx = Math.min(Math.max(x, r), size - r);
        const cy = Math.min(Math.max(y, r), size - r);
        return Math.hypot(x - cx, y - cy) <= r;
      },
    },
    { color: hex('#94a3b8'), inside: (x, y) => edges.some(([p, q]) => distToSegment(x / s, y / s, nodes[p], nodes[q]) <= 3.2) },
    { color: hex('#60a5fa'), inside: (x, y) => Object.entries(nodes).some(([k, [cx, cy]]) => k !== 'b' && Math.hypot(x / s - cx, y / s - cy) <= 11) },
    // The flagged node: an amber ring around an amber core, the smell Topolint points at.
    { color: hex('#f59e0b'), inside: (x, y) => { const d = Math.hypot(x / s - 60, y / s - 72); return d <= 10 || (d >= 14 && d <= 17.5); } },
  ];
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const layer of layers) {
        const c = coverage(x, y, layer.inside);
        if (c === 0) continue;
        // "Over" compositing with straight alpha.
        const outA = c + a * (1 - c);
        [r, g, b] = [0, 1, 2].map((i) => (layer.color[i] * c + [r, g, b][i] * a * (1 - c)) / outA);
        a = outA;
      }
      rgba.set([Math.round(r), Math.round(g), Math.round(b), Math.round(a * 255)], (y * size + x) * 4);
    }
  }
  return encodePng(size, size, rgba);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function encodePng(width, height, rgba) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, deflate, no filter method, no interlace.
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4); // Filter 0 (none).
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------------------
// The .vsix.

/** The names and sizes of the entries of a zip file, read from its central directory. */
export function zipEntries(file) {
  const buf = readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const read = () => {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + compressed);
      return method === 8 ? inflateRawSync(data) : Buffer.from(data);
    };
    entries.push({ name, size, compressed, read });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function run(cmd, args, cwd = ROOT) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`\`${cmd} ${args.join(' ')}\` failed (${r.error?.message ?? `exit ${r.status}`})`);
}

/** What the .vsix is made of besides the bundles; .vscodeignore then picks the files. */
const PACKAGED = ['package.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'language-configuration.json', 'docs', 'schemas', 'syntaxes', 'media', 'examples'];
/** What the production build reads. */
const SOURCES = ['server', 'client', 'shared', 'node_modules'];

/**
 * Builds and packages the extension; returns the path of the .vsix. The build runs in a staging folder
 * (the sources linked in, `dist/` its own), so that a development build running at the same time in the
 * work tree cannot swap unminified bundles into the package. scripts/build.mjs resolves its entry points
 * and `dist/` against the current folder, which is what makes this work; checkVsix catches it if not.
 */
export function packageExtension(out) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const vsix = resolve(ROOT, out ?? `${pkg.name}-${pkg.version}.vsix`);
  mkdirSync(dirname(vsix), { recursive: true });
  const stage = join(ROOT, '.cache', 'package');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  for (const name of SOURCES) symlinkSync(join(ROOT, name), join(stage, name));
  copyFileSync(join(ROOT, 'package.json'), join(stage, 'package.json'));
  run(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--production'], stage);
  for (const name of SOURCES) rmSync(join(stage, name));
  // Copied after the build, which may have regenerated package.json, the schema and the grammar.
  // media/dist is the production build's own (in the stage); the work tree's may be a development build.
  const notBuilt = (src) => !src.startsWith(join(ROOT, 'media', 'dist')) && !src.startsWith(join(ROOT, 'media', 'src'));
  for (const name of PACKAGED) if (existsSync(join(ROOT, name))) cpSync(join(ROOT, name), join(stage, name), { recursive: true, filter: notBuilt });
  // package.json's `files` list is the npm package's (the CLI, see scripts/pack-cli.mjs); the .vsix is
  // chosen by .vscodeignore, and vsce refuses a manifest that has both.
  const staged = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8'));
  delete staged.files;
  writeFileSync(join(stage, 'package.json'), JSON.stringify(staged, null, 2) + '\n');
  const vsce = createRequire(join(ROOT, 'package.json')).resolve('@vscode/vsce/vsce');
  run(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsix], stage);
  checkVsix(vsix, pkg);
  return vsix;
}

/** Fails when the .vsix misses a file VS Code needs or carries one it must not. */
function checkVsix(vsix, pkg) {
  const entries = zipEntries(vsix);
  const names = new Set(entries.map((e) => e.name));
  const problems = [];
  // vsce stores the README and CHANGELOG as readme.md and changelog.md, and the LICENSE as LICENSE.txt.
  const must = ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/server.js', 'extension/readme.md', 'extension/LICENSE.txt', 'extension/changelog.md'];
  if (pkg.icon) must.push(`extension/${pkg.icon}`);
  for (const lang of pkg.contributes?.languages ?? []) if (lang.configuration) must.push(join('extension', lang.configuration));
  for (const g of pkg.contributes?.grammars ?? []) must.push(join('extension', g.path));
  for (const v of pkg.contributes?.yamlValidation ?? []) must.push(join('extension', v.url));
  // The walkthrough's pages, and the example its first step opens (topolint.openExample).
  for (const w of pkg.contributes?.walkthroughs ?? []) for (const step of w.steps ?? []) if (step.media?.markdown) must.push(join('extension', step.media.markdown));
  must.push('extension/examples/shop.topology.yaml', 'extension/media/dist/preview.js', 'extension/media/dist/layout-worker.js');
  for (const m of must) if (!names.has(m)) problems.push(`missing ${m}`);
  for (const n of names) {
    if (n.includes('node_modules/')) problems.push(`carries node_modules: ${n}`);
    if (n.endsWith('.map')) problems.push(`carries a source map: ${n}`);
    if (/^extension\/(src|client|server|shared|test|scripts|out)\//.test(n)) problems.push(`carries sources or tests: ${n}`);
  }
  const ext = entries.find((e) => e.name === 'extension/dist/extension.js');
  if (ext && ext.read().toString('utf8').split('\n').length > 50) problems.push('dist/extension.js is not minified (was it built with --production?)');
  if (problems.length) throw new Error(`${relative(ROOT, vsix)} is not right:\n  ${problems.join('\n  ')}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    if (process.argv.includes('--icon')) {
      const file = join(ROOT, 'media', 'icon.png');
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, drawIcon(128));
      console.log(`wrote ${relative(ROOT, file)} (${statSync(file).size} bytes)`);
    } else {
      const i = process.argv.indexOf('--out');
      const vsix = packageExtension(i > 0 ? process.argv[i + 1] : undefined);
      const entries = zipEntries(vsix);
      const unpacked = entries.reduce((n, e) => n + e.size, 0);
      const bytes = statSync(vsix).size;
      console.log(`packaged ${relative(ROOT, vsix)}: ${bytes} bytes (${(bytes / 1024).toFixed(1)} KiB), ${entries.length} files, ${(unpacked / 1024).toFixed(1)} KiB unpacked`);
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
