// static_fixture.mjs: runs preview_check.mjs against pages that the real renderers wrote, so
// that the browser checks and the renderers are tested before and apart from the server.
//
//   node tests/browser/static_fixture.mjs --fixture-bin BUILD/tests/browser/web_render_fixture \
//        --out DIR --screenshot PNG [--chromium /usr/bin/chromium] [--serve]
//
// It listens on 127.0.0.1 (a port the kernel picks), has web_render_fixture write its pages,
// manifest and spec into DIR for that address, serves them exactly as the manifest says (the
// status, content type and security headers bulwark-server sends; any other target gets the
// 404 page), and runs preview_check.mjs with the spec on its stdin. Its exit status is the
// driver's. --serve only serves, until interrupted, for a person to look with a browser.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtureTimeoutMs = 30000;
const driverTimeoutMs = 150000;  // below the ctest TIMEOUT, so that this script reports it

function fail(message, status = 1) {
  console.error(`static_fixture: ${message}`);
  process.exit(status);
}

function parseArgs(argv) {
  const args = { chromium: '/usr/bin/chromium', serve: false };
  for (let i = 0; i < argv.length; ++i) {
    const name = argv[i];
    if (name === '--serve') {
      args.serve = true;
    } else if (['--fixture-bin', '--out', '--screenshot', '--chromium'].includes(name) && i + 1 < argv.length) {
      args[name.slice(2).replace('-bin', 'Bin')] = argv[++i];
    } else {
      fail(`unknown or incomplete argument "${name}"`, 2);
    }
  }
  for (const key of ['fixtureBin', 'out', 'screenshot']) {
    if (!args[key]) fail(`--${key === 'fixtureBin' ? 'fixture-bin' : key} is required`, 2);
  }
  return args;
}

function serve(dir, manifest) {
  const headers = Object.fromEntries(manifest.headers);
  return http.createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, HEAD' });
      return response.end('method not allowed\n');
    }
    const entry = manifest.routes[request.url] ?? manifest.notFound;
    const body = fs.readFileSync(path.join(dir, entry.file));
    response.writeHead(entry.status, {
      ...headers, 'Content-Type': entry.contentType, 'Content-Length': body.length, 'Cache-Control': 'no-store',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

function runDriver(spec) {
  return new Promise((resolve) => {
    const driver = spawn(process.execPath, [path.join(here, 'preview_check.mjs')], {
      stdio: ['pipe', 'inherit', 'inherit'],
    });
    const timer = setTimeout(() => {
      console.error(`static_fixture: preview_check.mjs still running after ${driverTimeoutMs} ms: stopping it`);
      driver.kill('SIGKILL');
    }, driverTimeoutMs);
    driver.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 1 : 0));
    });
    driver.stdin.end(JSON.stringify(spec));
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  fs.rmSync(args.out, { recursive: true, force: true });
  fs.mkdirSync(args.out, { recursive: true });
  let manifest = null;
  const server = http.createServer((request, response) => handler(request, response));
  let handler = (request, response) => { response.writeHead(503); response.end(); };
  const port = await listen(server);
  const baseUrl = `http://127.0.0.1:${port}`;

  try {
    execFileSync(args.fixtureBin, [args.out, baseUrl], { timeout: fixtureTimeoutMs, stdio: 'inherit' });
    manifest = JSON.parse(fs.readFileSync(path.join(args.out, 'manifest.json'), 'utf8'));
  } catch (error) {
    fail(`${args.fixtureBin} failed: ${error.message}`);
  }
  const pages = serve(args.out, manifest);
  handler = (request, response) => pages.emit('request', request, response);

  if (args.serve) {
    console.log(`static_fixture: serving ${baseUrl}/s/... from ${args.out} (Ctrl-C stops)`);
    return;
  }
  const spec = JSON.parse(fs.readFileSync(path.join(args.out, 'spec.json'), 'utf8'));
  const status = await runDriver({ ...spec, baseUrl, screenshot: args.screenshot, chromium: args.chromium });
  server.close();
  server.closeAllConnections();
  process.exit(status);
}

main().catch((error) => fail(error.stack ?? String(error)));
