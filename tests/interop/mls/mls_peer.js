// MLS (RFC 9420) interop peer on ts-mls 1.6.4: one JSON request per stdin line, one JSON
// response per stdout line, strictly in turn. The protocol, shared with Bulwark's C++
// bulwark-mls-peer, is in README.md. Any failure, including unknown ops and malformed lines,
// becomes {"ok":false,"error":TEXT} and the peer keeps reading; EOF on stdin ends it with
// status 0.
import { createInterface } from 'node:readline';
import { requireSupportedNode } from './node_check.js';

requireSupportedNode('mls_peer.js');
// Only now load ts-mls (and @noble 2.x under it), after the version check has passed.
const { MlsPeer, RequestError } = await import('./mls_ops.js');

// A line longer than this is refused without parsing (the driver's own limit is 1 MiB).
const maxLineChars = 16 << 20;

async function answer(peer, line) {
  if (line.length > maxLineChars) throw new RequestError('request line too long');
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    throw new RequestError('request is not JSON');
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new RequestError('request is not a JSON object');
  }
  return peer.handle(request);
}

const peer = new MlsPeer();
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  let response;
  try {
    response = { ok: true, ...(await answer(peer, line)) };
  } catch (error) {
    // RequestErrors are the client's fault; anything else is ts-mls refusing (e.g. a tampered
    // message). Both are answers, never a crash.
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    response = { ok: false, error: text };
  }
  process.stdout.write(`${JSON.stringify(response)}\n`);
}
