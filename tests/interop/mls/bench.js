// ts-mls 1.6.4 figures for issue 9's benchmark, in one process, printed as one JSON object:
//
//   node bench.js [N] [--messages M] [--suite 1|3] [--repeat R]
//                                          (defaults: N = 1000, M = 2000, suite 1, R = 1)
//
// - create: one commit adding N-1 KeyPackages to a fresh group (the Welcome carries no tree;
//   the tree goes out of band, as in the interop peer);
// - join: one of those members joins from that Welcome and the tree;
// - add: one more member, then that commit processed by the member who joined;
// - remove: the creator removes the newest member, then that commit processed by the same member;
// - messages: M application messages of 100 bytes, each encrypted by the creator and decrypted
//   by the joined member before the next one is made.
// Key generation is not timed. With --repeat R, each operation runs R times from the same state
// (ts-mls states are immutable values) and the messages run in R batches of M: each figure is
// the median, the key <figure>_runs lists every repetition and <figure>_cpu_runs their CPU time
// (bench/mls_bench.cpp reports the spread). On a shared machine, one run says little.
// Capabilities, lifetime and wire formats are the interop peer's (mls_ops.js).
import { requireSupportedNode } from './node_check.js';

requireSupportedNode('bench.js');
const mls = await import('ts-mls');
const { encodeRatchetTree } = await import('ts-mls/ratchetTree.js');
const { peerCapabilities, suiteNames } = await import('./mls_ops.js');

function options(argv) {
  const parsed = { members: 1000, messages: 2000, suite: 1, repeat: 1 };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--messages') parsed.messages = Number(argv[++i]);
    else if (argv[i] === '--suite') parsed.suite = Number(argv[++i]);
    else if (argv[i] === '--repeat') parsed.repeat = Number(argv[++i]);
    else parsed.members = Number(argv[i]);
  }
  const ok = Number.isSafeInteger(parsed.members) && parsed.members >= 3 &&
    Number.isSafeInteger(parsed.messages) && parsed.messages >= 1 && suiteNames.has(parsed.suite) &&
    Number.isSafeInteger(parsed.repeat) && parsed.repeat >= 1;
  if (!ok) {
    process.stderr.write('usage: node bench.js [N >= 3] [--messages M >= 1] [--suite 1|3] [--repeat R >= 1]\n');
    process.exit(2);
  }
  return parsed;
}

async function timed(fn) {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

// Runs fn `count` times; returns the last value, every run's wall-clock milliseconds and every
// run's CPU milliseconds (user + system of the whole process: WebCrypto's libuv threads too).
async function repeated(count, fn) {
  const runs = { wall: [], cpu: [] };
  let value;
  for (let i = 0; i < count; i += 1) {
    const cpuStart = process.cpuUsage();
    const [result, ms] = await timed(fn);
    const cpu = process.cpuUsage(cpuStart);
    value = result;
    runs.wall.push(ms);
    runs.cpu.push((cpu.user + cpu.system) / 1000);
  }
  return [value, runs];
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const round = (ms) => Math.round(ms * 10) / 10;
// "name_ms": the median and "name_ms_runs": every run, rounded; "name_ms_cpu_runs": CPU time.
const figure = (name, runs) => ({
  [name]: round(median(runs.wall)),
  [`${name}_runs`]: runs.wall.map(round),
  [`${name}_cpu_runs`]: runs.cpu.map(round),
});
const encode = (content) => mls.encodeMlsMessage({ version: 'mls10', ...content });
const commitOptions = { wireAsPublicMessage: false, ratchetTreeExtension: false };

async function client(name, cs) {
  const credential = { credentialType: 'basic', identity: new TextEncoder().encode(name) };
  return mls.generateKeyPackage(credential, peerCapabilities(), mls.defaultLifetime, [], cs);
}

async function commit(state, cs, proposals) {
  return mls.createCommit({ state, cipherSuite: cs }, { ...commitOptions, extraProposals: proposals });
}

async function processed(state, message, cs) {
  const result = await mls.processMessage(message, state, mls.emptyPskIndex, mls.acceptAll, cs);
  return result.newState;
}

async function messages(sender, receiver, count, cs) {
  const plaintext = new Uint8Array(100).fill(0x61);
  let [encryptMs, decryptMs, bytes] = [0, 0, 0];
  for (let i = 0; i < count; i += 1) {
    const [sent, sendMs] = await timed(() => mls.createApplicationMessage(sender, plaintext, cs));
    sender = sent.newState;
    const wire = { wireformat: 'mls_private_message', privateMessage: sent.privateMessage };
    bytes = encode(wire).length;
    const [got, receiveMs] = await timed(() => mls.processMessage({ version: 'mls10', ...wire },
      receiver, mls.emptyPskIndex, mls.acceptAll, cs));
    if (got.kind !== 'applicationMessage' || got.message.length !== 100) throw new Error('lost');
    receiver = got.newState;
    encryptMs += sendMs;
    decryptMs += receiveMs;
  }
  return {
    sender, receiver, bytes,
    encrypt: Math.round(count / (encryptMs / 1000)),
    decrypt: Math.round(count / (decryptMs / 1000)),
    pairs: Math.round(count / ((encryptMs + decryptMs) / 1000)),
  };
}

// `batches` batches of `count` messages, the states carried from one to the next.
async function traffic(sender, receiver, count, batches, cs) {
  const runs = { encrypt: [], decrypt: [], pairs: [] };
  let bytes = 0;
  for (let i = 0; i < batches; i += 1) {
    const batch = await messages(sender, receiver, count, cs);
    ({ sender, receiver, bytes } = batch);
    for (const key of Object.keys(runs)) runs[key].push(batch[key]);
  }
  const rate = (name, key) => ({ [name]: median(runs[key]), [`${name}_runs`]: runs[key] });
  return {
    app_message_bytes: bytes,
    ...rate('app_encrypt_per_s', 'encrypt'),
    ...rate('app_decrypt_per_s', 'decrypt'),
    ...rate('app_encrypt_decrypt_pairs_per_s', 'pairs'),
  };
}

async function main() {
  const { members: n, messages: count, suite, repeat } = options(process.argv.slice(2));
  const cs = await mls.getCiphersuiteImpl(mls.getCiphersuiteFromName(suiteNames.get(suite)));
  const [packages, keygenMs] = await timed(async () => {
    const list = [];
    for (let i = 0; i < n; i += 1) list.push(await client(`member-${i}`, cs));
    return list;
  });
  const [creator, firstJoiner] = packages;
  const genesis = await mls.createGroup(new TextEncoder().encode('bench'),
    creator.publicPackage, creator.privatePackage, [], cs);
  const adds = packages.slice(1).map((kp) => ({
    proposalType: 'add', add: { keyPackage: kp.publicPackage },
  }));
  const [created, createMs] = await repeated(repeat, () => commit(genesis, cs, adds));
  const tree = encodeRatchetTree(created.newState.ratchetTree);
  const [joined, joinMs] = await repeated(repeat, () => mls.joinGroup(created.welcome,
    firstJoiner.publicPackage, firstJoiner.privatePackage, mls.emptyPskIndex, cs,
    created.newState.ratchetTree));

  const newcomer = await client(`member-${n}`, cs);
  const [added, addMs] = await repeated(repeat, () => commit(created.newState, cs,
    [{ proposalType: 'add', add: { keyPackage: newcomer.publicPackage } }]));
  const [afterAdd, processAddMs] = await repeated(repeat,
    () => processed(joined, added.commit, cs));

  const [removed, removeMs] = await repeated(repeat, () => commit(added.newState, cs,
    [{ proposalType: 'remove', remove: { removed: n } }]));
  const [afterRemove, processRemoveMs] = await repeated(repeat,
    () => processed(afterAdd, removed.commit, cs));
  const rates = await traffic(removed.newState, afterRemove, count, repeat, cs);

  return {
    library: 'ts-mls', version: '1.6.4', node: process.version, suite, members: n, repeat,
    keypackage_ms_each: round(keygenMs / n),
    ...figure('create_ms', createMs),
    create_commit_bytes: mls.encodeMlsMessage(created.commit).length,
    create_welcome_bytes: encode({ wireformat: 'mls_welcome', welcome: created.welcome }).length,
    ratchet_tree_bytes: tree.length,
    ...figure('join_ms', joinMs),
    ...figure('add_one_ms', addMs),
    add_one_commit_bytes: mls.encodeMlsMessage(added.commit).length,
    add_one_welcome_bytes: encode({ wireformat: 'mls_welcome', welcome: added.welcome }).length,
    add_one_ratchet_tree_bytes: encodeRatchetTree(added.newState.ratchetTree).length,
    ...figure('process_add_ms', processAddMs),
    ...figure('remove_one_ms', removeMs),
    remove_one_commit_bytes: mls.encodeMlsMessage(removed.commit).length,
    ...figure('process_remove_ms', processRemoveMs),
    app_messages: count,
    app_plaintext_bytes: 100,
    ...rates,
  };
}

process.stdout.write(`${JSON.stringify(await main())}\n`);
