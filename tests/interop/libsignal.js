// Loads @signalapp/libsignal-client (pinned 0.90.0) for peer.js and bench.js.
//
// 0.90.0 finds its native addon with `${import.meta.dirname}/../` (dist/Native.js).
// import.meta.dirname exists only from Node 20.11; Debian 12 ships Node 18.20, where it is
// undefined and node-gyp-build resolves "undefined/../" against the working directory. So the
// import runs with the package directory as the working directory, which is right on every
// Node version, and the previous directory is restored afterwards.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(
  new URL('./node_modules/@signalapp/libsignal-client/', import.meta.url));

const previousDir = process.cwd();
process.chdir(packageDir);
let lib;
try {
  lib = await import('@signalapp/libsignal-client');
} finally {
  process.chdir(previousDir);
}

export default lib;
// The installed version, so reports name what actually ran.
export const version = JSON.parse(readFileSync(`${packageDir}package.json`, 'utf8')).version;
