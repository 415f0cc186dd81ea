// The Node floor of the pinned packages: @noble/curves, @noble/hashes and @noble/ciphers 2.x
// declare engines "node >= 20.19.0". This module imports nothing, so the entry points can check
// the version before ts-mls (and with it @noble) is loaded, and fail with a clear message
// instead of whatever an older Node trips over inside those packages.
const minimum = [20, 19, 0];

function parse(version) {
  return version.replace(/^v/, '').split('.').map((part) => Number.parseInt(part, 10));
}

function atLeast(actual, wanted) {
  for (let i = 0; i < wanted.length; i += 1) {
    if ((actual[i] ?? 0) !== wanted[i]) return (actual[i] ?? 0) > wanted[i];
  }
  return true;
}

// Exits with status 2 and a message on stderr when this Node is older than the floor.
export function requireSupportedNode(program) {
  if (atLeast(parse(process.version), minimum)) return;
  process.stderr.write(
    `${program}: Node ${process.version} is too old; ts-mls 1.6.4 needs Node >= ` +
      `${minimum.join('.')} (the engines floor of @noble/curves 2.0.1). ` +
      'See tests/interop/mls/README.md.\n');
  process.exit(2);
}
