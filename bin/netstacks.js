#!/usr/bin/env node
import { statSync } from 'node:fs';

// The bundle (scripts/bundle.mjs) starts several times faster than the tsc output it is built
// from; use it unless the tsc output is newer (a plain `tsc` run after the last bundle).
const mtime = (url) => {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return -1;
  }
};
const bundle = new URL('../dist/bundle/netstacks.mjs', import.meta.url);
const modules = new URL('../dist/cli/main.js', import.meta.url);
const [bundleTime, modulesTime] = [mtime(bundle), mtime(modules)];
if (bundleTime < 0 && modulesTime < 0) {
  // a checkout that was never built: say what to do instead of a module-not-found trace
  process.stderr.write("netstacks is not built yet: run 'npm install' (or 'npm run build') in the netstacks folder first\n");
  process.exit(1);
}
const { main } = await import(bundleTime >= modulesTime ? bundle.href : modules.href);

main(process.argv).then((code) => {
  process.exitCode = code;
});
