// Speed anchor for libsignal-client 0.90.0 on Node: `node bench.js [--seconds S]` (default 2).
// Prints one JSON line: {"library","version","session_setups_per_s","encrypt_decrypt_pairs_per_s"}.
//
// Session setup = Bob's bundle already made; timed: Alice processPreKeyBundle, Alice encrypts
// 100 bytes, Bob decrypts the PreKey message. Key generation (Bob's identity, signed prekey,
// one-time prekey, Kyber1024 prekey) is kept out of the clock: pairs are made in untimed batches
// and only the setups of each batch are timed, until S seconds of setup time add up.
// Pairs = one established session (acknowledged by one reply, so Alice sends Whisper messages):
// Alice encrypts 100 bytes, Bob decrypts, one way, repeated for S seconds.
// Each phase first runs untimed for a short warm-up. Stores are the serialising in-memory ones
// of stores.js, so every operation pays a real client's record (de)serialisation.
import { randomBytes } from 'node:crypto';
import signal, { version } from './libsignal.js';
import { Party, toPreKeyBundle } from './party.js';

const {
  CiphertextMessageType, PreKeySignalMessage, SignalMessage, processPreKeyBundle, signalDecrypt,
  signalDecryptPreKey, signalEncrypt,
} = signal;

const batchSize = 32;
const warmupFraction = 0.1;
const plaintext = new Uint8Array(randomBytes(100));

function parseSeconds(argv) {
  let seconds = 2;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seconds' && i + 1 < argv.length) seconds = Number(argv[++i]);
    else throw new Error(`usage: node bench.js [--seconds S] (got "${argv[i]}")`);
  }
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error('--seconds must be a positive number');
  }
  return seconds;
}

const now = () => Number(process.hrtime.bigint()) / 1e9;

async function newPair() {
  const alice = new Party('alice', 1);
  const bob = new Party('bob', 1);
  return { alice, bob, bundle: toPreKeyBundle(await bob.newBundle()) };
}

async function encrypt(from, to) {
  return signalEncrypt(plaintext, to.address, from.sessions, from.identities);
}

async function decryptPreKey(to, from, message) {
  return signalDecryptPreKey(PreKeySignalMessage.deserialize(message.serialize()), from.address,
    to.sessions, to.identities, to.preKeys, to.signedPreKeys, to.kyberPreKeys);
}

async function decryptWhisper(to, from, message) {
  return signalDecrypt(SignalMessage.deserialize(message.serialize()), from.address,
    to.sessions, to.identities);
}

async function setUp({ alice, bob, bundle }) {
  await processPreKeyBundle(bundle, bob.address, alice.sessions, alice.identities);
  await decryptPreKey(bob, alice, await encrypt(alice, bob));
}

// Runs setups in batches until `seconds` of timed setup work have accumulated.
async function timeSetups(seconds) {
  let timed = 0;
  let count = 0;
  while (timed < seconds) {
    const pairs = [];
    for (let i = 0; i < batchSize; i++) pairs.push(await newPair());
    const start = now();
    for (const pair of pairs) await setUp(pair);
    timed += now() - start;
    count += pairs.length;
  }
  return count / timed;
}

async function timePairs(seconds) {
  const pair = await newPair();
  await setUp(pair);
  const { alice, bob } = pair;
  await decryptWhisper(alice, bob, await encrypt(bob, alice)); // the acknowledging reply
  const first = await encrypt(alice, bob);
  if (first.type() !== CiphertextMessageType.Whisper) throw new Error('session not acknowledged');
  await decryptWhisper(bob, alice, first);
  let count = 0;
  const start = now();
  let elapsed = 0;
  while (elapsed < seconds) {
    await decryptWhisper(bob, alice, await encrypt(alice, bob));
    count++;
    if (count % 16 === 0) elapsed = now() - start;
  }
  return count / (now() - start);
}

let seconds;
try {
  seconds = parseSeconds(process.argv.slice(2));
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
const warmup = Math.min(1, seconds * warmupFraction);
await timeSetups(warmup);
const setups = await timeSetups(seconds);
await timePairs(warmup);
const pairs = await timePairs(seconds);
console.log(JSON.stringify({
  library: 'libsignal-client', version,
  session_setups_per_s: Math.round(setups * 10) / 10,
  encrypt_decrypt_pairs_per_s: Math.round(pairs * 10) / 10,
}));
