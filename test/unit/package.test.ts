/**
 * The .vsix a user installs: `node scripts/package.mjs` (npm run package) builds it with the pinned
 * @vscode/vsce; this test reads it as the zip it is and fails on any entry outside the allow-list
 * (no sources, tests, fixtures, benchmarks, demo, source maps, CLI or node_modules), checks the
 * bundles need nothing at run time but Node built-ins and 'vscode' (so --no-dependencies is right),
 * and checks the manifest inside it: license, repository, engines, trust and virtual workspaces.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';

const ROOT = path.resolve(__dirname, '..', '..');

interface ZipEntry {
  name: string;
  size: number;
  read(): Buffer;
}

/** The entries of a zip file, from its central directory. */
export function readZip(buf: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry ${n}`);
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    out.push({
      name,
      size,
      read: () => {
        const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
        const data = buf.subarray(start, start + csize);
        return method === 0 ? Buffer.from(data) : inflateRawSync(data);
      },
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

interface Manifest {
  license: string;
  repository: { url: string };
  bugs: { url: string };
  homepage: string;
  main: string;
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  capabilities?: {
    untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] };
    virtualWorkspaces?: boolean | { supported: boolean | 'limited'; description?: string };
  };
  contributes: {
    walkthroughs?: { id: string; steps: { id: string; media: { image?: string; markdown?: string } }[] }[];
  };
}

/** What the .vsix may contain, exactly. */
const ALLOWED: (string | RegExp)[] = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/package.json',
  'extension/readme.md',
  'extension/changelog.md',
  'extension/LICENSE.txt',
  'extension/dist/extension.js',
  'extension/dist/worker.js',
  'extension/dist/decode.js',
  'extension/dist/filterSyntax.js',
  'extension/dist/lazyFeatures.js',
  'extension/dist/insight.js',
  'extension/dist/panelFiles.js',
  'extension/dist/insightCore.js',
  'extension/dist/webview.js',
  'extension/dist/ThirdPartyNotices.txt',
  /^extension\/media\/heat-[1-5]\.svg$/,
  'extension/media/icon.png',
  'extension/media/icon.svg',
  // The flame graph panel's styles (linked by its page, not bundled into dist/extension.js).
  'extension/media/panel.css',
  /^extension\/media\/walkthrough\/[a-z0-9-]+\.(jpg|png|md)$/,
];
const REQUIRED = [
  'extension/package.json',
  'extension/media/panel.css',
  'extension/dist/extension.js',
  'extension/dist/decode.js',
  'extension/dist/filterSyntax.js',
  'extension/dist/lazyFeatures.js',
  'extension/dist/insight.js',
  'extension/dist/panelFiles.js',
  'extension/dist/insightCore.js',
  'extension/dist/worker.js',
  'extension/dist/webview.js',
  'extension/LICENSE.txt',
  'extension/readme.md',
];

describe('the .vsix (npm run package)', function () {
  this.timeout(180_000);
  let dir: string;
  let entries: ZipEntry[];
  let size: number;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pprof-lens-vsix-'));
    const out = path.join(dir, 'pprof-lens.vsix');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/package.mjs'), '--out', out], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    const buf = readFileSync(out);
    size = buf.length;
    entries = readZip(buf);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('contains only what runs', () => {
    const unexpected = entries
      .map((e) => e.name)
      .filter((n) => !ALLOWED.some((a) => (typeof a === 'string' ? a === n : a.test(n))));
    assert.deepEqual(unexpected, [], `unexpected entries in the .vsix: ${unexpected.join(', ')}`);
    for (const r of REQUIRED)
      assert.ok(
        entries.some((e) => e.name === r),
        `${r} is missing`,
      );
    assert.ok(!entries.some((e) => e.name.endsWith('.map')), 'source maps are not shipped');
  });

  it('is small, and its extension bundle too (it loads on every Go file)', () => {
    assert.ok(size < 1024 * 1024, `${size} bytes`);
    const ext = entries.find((e) => e.name === 'extension/dist/extension.js')!;
    assert.ok(
      ext.size < 200 * 1024,
      `dist/extension.js is ${ext.size} bytes: something heavy is imported statically (see esbuild.mjs, bench/activation.mjs)`,
    );
  });

  it('bundles its dependencies: the code requires only Node built-ins and vscode', () => {
    for (const f of [
      'extension/dist/extension.js',
      'extension/dist/decode.js',
      'extension/dist/filterSyntax.js',
      'extension/dist/lazyFeatures.js',
      'extension/dist/insight.js',
      'extension/dist/panelFiles.js',
      'extension/dist/insightCore.js',
      'extension/dist/worker.js',
    ]) {
      const js = entries
        .find((e) => e.name === f)!
        .read()
        .toString('utf8');
      const required = new Set([...js.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!));
      // The extension loads its decoder, filter syntax, compiler insight, benchmark A/B, insight core and the panel's file paths from their own files on first use (esbuild.mjs).
      const lazy = f.endsWith('extension.js')
        ? [
            './decode.js',
            './filterSyntax.js',
            './insight.js',
            './lazyFeatures.js',
            './insightCore.js',
            './panelFiles.js',
          ]
        : [];
      const outside = [...required].filter((r) => !r.startsWith('node:') && r !== 'vscode' && !lazy.includes(r));
      for (const l of lazy)
        assert.ok(
          entries.some((e) => e.name === `extension/dist/${l.slice(2)}`),
          `${l} is required but not shipped`,
        );
      assert.deepEqual(outside, [], `${f} requires ${outside.join(', ')} at run time`);
      assert.ok(!/sourceMappingURL=/.test(js), `${f} points at a source map that is not shipped`);
    }
    const webview = entries
      .find((e) => e.name === 'extension/dist/webview.js')!
      .read()
      .toString('utf8');
    assert.ok(!/\brequire\(/.test(webview), 'the webview bundle is self-contained');
    const notices = entries
      .find((e) => e.name === 'extension/dist/ThirdPartyNotices.txt')!
      .read()
      .toString('utf8');
    for (const p of ['protobufjs', 'long', 're2js']) {
      const bundled = new RegExp(`node_modules/${p}/`).test(readFileSync(path.join(ROOT, 'dist/.meta.json'), 'utf8'));
      if (bundled)
        assert.match(notices, new RegExp(`^${p} \\d`, 'm'), `${p} is bundled, so its license is in the notices`);
    }
  });

  it('declares what a user and the marketplace need', () => {
    const m = JSON.parse(
      entries
        .find((e) => e.name === 'extension/package.json')!
        .read()
        .toString('utf8'),
    ) as Manifest;
    assert.equal(m.license, 'Apache-2.0');
    assert.match(
      entries
        .find((e) => e.name === 'extension/LICENSE.txt')!
        .read()
        .toString('utf8'),
      /Apache License\s+Version 2\.0/,
    );
    assert.match(m.repository.url, /^https:\/\//);
    assert.match(m.bugs.url, /^https:\/\//);
    assert.match(m.homepage, /^https:\/\//);
    assert.equal(m.main, './dist/extension.js');
    // @types/vscode must not be newer than the engine (vsce refuses to package otherwise).
    const engine = /^\^(\d+)\.(\d+)\.\d+$/.exec(m.engines.vscode)!;
    const types = /^(\d+)\.(\d+)\.\d+$/.exec(m.devDependencies['@types/vscode']!)!;
    assert.ok(engine && types, 'engines.vscode and @types/vscode are exact versions');
    assert.ok(
      Number(types[1]) === Number(engine[1]) && Number(types[2]) <= Number(engine[2]),
      `@types/vscode ${types[0]} vs engines ${m.engines.vscode}`,
    );
  });

  it('ships every image the walkthrough shows, each small', () => {
    const m = JSON.parse(
      entries
        .find((e) => e.name === 'extension/package.json')!
        .read()
        .toString('utf8'),
    ) as Manifest;
    const steps = m.contributes.walkthroughs?.[0]?.steps ?? [];
    assert.equal(steps.length, 6);
    for (const st of steps) {
      const img = entries.find((e) => e.name === `extension/${st.media.image ?? ''}`);
      assert.ok(img, `${st.id}: ${st.media.image} is not in the .vsix`);
      assert.ok(img.size < 100 * 1024, `${st.media.image}: ${img.size} bytes`);
    }
  });

  it('works in Restricted Mode, limited: the settings that name a write location or go test flags are restricted', () => {
    const m = JSON.parse(
      entries
        .find((e) => e.name === 'extension/package.json')!
        .read()
        .toString('utf8'),
    ) as Manifest;
    const u = m.capabilities?.untrustedWorkspaces;
    assert.equal(u?.supported, 'limited');
    assert.match(u?.description ?? '', /Restricted Mode/);
    assert.deepEqual([...(u?.restrictedConfigurations ?? [])].sort(), [
      'pprofLens.bench.benchtime',
      'pprofLens.bench.flags',
      'pprofLens.capture.directory',
    ]);
    const v = m.capabilities?.virtualWorkspaces;
    assert.ok(typeof v === 'object' && v.supported === 'limited' && /on disk/.test(v.description ?? ''));
  });
});
