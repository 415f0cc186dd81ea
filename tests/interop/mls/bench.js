// ts-mls 1.6.4 figures for issue 9's benchmark, in one process, printed as one JSON object:
//
//   node bench.js [N] [--messages M] [--suite 1|3]      (defaults: N = 1000, M = 2000, suite 1)
//
// - create: one commit adding N-1 KeyPackages to a fresh group (the Welcome carries no tree;
//   the tree goes out of band, as in the interop peer);
// - join: one of those members joins from that Welcome and the tree;
// - add: one more member, then that commit processed by the member who joined;
// - remove: the creator removes the newest member, then that commit processed by the same member;
// - messages: M application messages of 100 bytes, each encrypted by the creator and decrypted
//   by the joined member before the next one is made.
// Key generation is not timed. Every figure is one run: on a shared machine, run it a few times.
// Capabilities, lifetime and wire formats are the interop peer's (mls_ops.js).
import { requireSupportedNode } from './node_check.js';

requireSupportedNode('bench.js');
const mls = await import('ts-mls');
const { encodeRatchetTree } = await import('ts-mls/ratchetTree.js');
const { peerCapabilities, suiteNames } = await import('./mls_ops.js');

function options(argv) {
  const parsed = { members: 1000, messages: 2000, suite: 1 };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--messages') parsed.messages = Number(argv[++i]);
    else if (argv[i] === '--suite') parsed.suite = Number(argv[++i]);
    else parsed.members = Number(argv[i]);
  }
  const ok = Number.isSafeInteger(parsed.members) && parsed.members >= 3 &&
    Number.isSafeInteger(parsed.messages) && parsed.messages >= 1 && suiteNames.has(parsed.suite);
  if (!ok) {
    process.stderr.write('usage: node bench.js [N >= 3] [--messages M >= 1] [--suite 1|3]\n');
    process.exit(2);
  }
  return parsed;
}

async function timed(fn) {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

const round = (ms) => Math.round(ms * 10) / 10;
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
    app_message_bytes: bytes,
    app_encrypt_per_s: Math.round(count / (encryptMs / 1000)),
    app_decrypt_per_s: Math.round(count / (decryptMs / 1000)),
    app_encrypt_decrypt_pairs_per_s: Math.round(count / ((encryptMs + decryptMs) / 1000)),
  };
}

async function main() {
  const { members: n, messages: count, suite } = options(process.argv.slice(2));
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
  const [created, createMs] = await timed(() => commit(genesis, cs, adds));
  const tree = encodeRatchetTree(created.newState.ratchetTree);
  const [joined, joinMs] = await timed(() => mls.joinGroup(created.welcome,
    firstJoiner.publicPackage, firstJoiner.privatePackage, mls.emptyPskIndex, cs,
    created.newState.ratchetTree));

  const newcomer = await client(`member-${n}`, cs);
  const [added, addMs] = await timed(() => commit(created.newState, cs,
    [{ proposalType: 'add', add: { keyPackage: newcomer.publicPackage } }]));
  const [afterAdd, processAddMs] = await timed(() => processed(joined, added.commit, cs));

  const [removed, removeMs] = await timed(() => commit(added.newState, cs,
    [{ proposalType: 'remove', remove: { removed: n } }]));
  const [afterRemove, processRemoveMs] = await timed(() => processed(afterAdd, removed.commit, cs));
  const traffic = await messages(removed.newState, afterRemove, count, cs);

  return {
    library: 'ts-mls', version: '1.6.4', node: process.version, suite, members: n,
    keypackage_ms_each: round(keygenMs / n),
    create_ms: round(createMs),
    create_commit_bytes: mls.encodeMlsMessage(created.commit).length,
    create_welcome_bytes: encode({ wireformat: 'mls_welcome', welcome: created.welcome }).length,
    ratchet_tree_bytes: tree.length,
    join_ms: round(joinMs),
    add_one_ms: round(addMs),
    add_one_commit_bytes: mls.encodeMlsMessage(added.commit).length,
    add_one_welcome_bytes: encode({ wireformat: 'mls_welcome', welcome: added.welcome }).length,
    add_one_ratchet_tree_bytes: encodeRatchetTree(added.newState.ratchetTree).length,
    process_add_ms: round(processAddMs),
    remove_one_ms: round(removeMs),
    remove_one_commit_bytes: mls.encodeMlsMessage(removed.commit).length,
    process_remove_ms: round(processRemoveMs),
    app_messages: count,
    app_plaintext_bytes: 100,
    ...traffic,
  };
}

process.stdout.write(`${JSON.stringify(await main())}\n`);
