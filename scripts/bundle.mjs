// Bundles the CLI into dist/bundle/ so start-up resolves a handful of files instead of hundreds
// (kysely alone is ~280 ESM modules, ~100 ms to load). Dynamic imports become split chunks, so
// commands still load only what they use. Native and heavy runtime packages stay external.
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';

// zod's entry re-exports all of its ~50 message locales (about half of its code, ~8 ms of every
// start-up that loads zod); NetStacks only uses the default, English: `z.locales` keeps just `en`
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales-en', namespace: 'zod-locales', pluginData: args.resolveDir } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: "export { default as en } from '../locales/en.js';",
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};

const outdir = new URL('../dist/bundle/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { netstacks: new URL('../dist/cli/main.js', import.meta.url).pathname },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  external: ['better-sqlite3', 'ssh2', 'cpu-features', '@napi-rs/keyring', 'ink', 'react', 'react/jsx-runtime'],
  // CommonJS packages inside an ESM bundle call require(): give them one
  banner: { js: "import { createRequire as __nsCreateRequire } from 'node:module'; const require = __nsCreateRequire(import.meta.url);" },
  plugins: [zodEnglishOnly],
  logLevel: 'warning',
  legalComments: 'none',
});

// the built-in TextFSM templates ship beside the compiled parser (dist/parse/templates), where both
// dist/parse/*.js and the bundle's chunks look for them
const templatesOut = new URL('../dist/parse/templates/', import.meta.url).pathname;
rmSync(templatesOut, { recursive: true, force: true });
cpSync(new URL('../src/parse/templates/', import.meta.url).pathname, templatesOut, { recursive: true });
