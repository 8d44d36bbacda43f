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
const { main } = await import(mtime(bundle) >= mtime(modules) ? bundle.href : modules.href);

main(process.argv).then((code) => {
  process.exitCode = code;
});
