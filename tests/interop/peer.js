// libsignal interop peer: one JSON request per stdin line, one JSON response per stdout line.
// The protocol (shared with the C++ bulwark-peer) is in README.md. Bytes are standard base64;
// keys are libsignal's serialize() forms (EC 0x05‖32 B, Kyber 0x08‖1568 B). Any failure becomes
// {"ok":false,"error":...} and the peer keeps reading; EOF on stdin ends it with status 0.
import { createInterface } from 'node:readline';
import signal from './libsignal.js';
import { Party, toPreKeyBundle } from './party.js';

const {
  CiphertextMessageType, ErrorCode, Fingerprint, IdentityKeyPair, KEMPublicKey,
  KyberPreKeyRecord, PreKeyRecord, PreKeySignalMessage, SignedPreKeyRecord,
  ProtocolAddress, PublicKey, SignalMessage, processPreKeyBundle, signalDecrypt,
  signalDecryptPreKey, signalEncrypt,
} = signal;

// Fingerprint parameters fixed by the interop protocol (libsignal's current ones).
const fingerprintVersion = 2;
const fingerprintIterations = 5200;

class RequestError extends Error {}

function field(obj, key, type) {
  const value = obj[key];
  if (typeof value !== type) throw new RequestError(`field "${key}" must be a ${type}`);
  return value;
}

function int(obj, key) {
  const value = field(obj, key, 'number');
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RequestError(`field "${key}" must be a non-negative integer`);
  }
  return value;
}

// Buffer.from(..., 'base64') silently skips junk, so the alphabet is checked first.
function bytes(obj, key) {
  const text = field(obj, key, 'string');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw new RequestError(`field "${key}" is not standard base64`);
  }
  return new Uint8Array(Buffer.from(text, 'base64'));
}

const b64 = (data) => Buffer.from(data).toString('base64');
const orNull = (obj, key, parse) => (obj[key] === null || obj[key] === undefined
  ? null : parse(obj, key));

function bundleFromJson(json) {
  if (typeof json !== 'object' || json === null) {
    throw new RequestError('field "bundle" must be an object');
  }
  const preKeyId = orNull(json, 'pre_key_id', int);
  const preKey = orNull(json, 'pre_key', (o, k) => PublicKey.deserialize(bytes(o, k)));
  if ((preKeyId === null) !== (preKey === null)) {
    throw new RequestError('pre_key_id and pre_key must both be set or both be null');
  }
  return toPreKeyBundle({
    registrationId: int(json, 'registration_id'), deviceId: int(json, 'device_id'),
    preKeyId, preKey,
    signedPreKeyId: int(json, 'signed_pre_key_id'),
    signedPreKey: PublicKey.deserialize(bytes(json, 'signed_pre_key')),
    signedPreKeySignature: bytes(json, 'signed_pre_key_signature'),
    identityKey: PublicKey.deserialize(bytes(json, 'identity_key')),
    kyberPreKeyId: int(json, 'kyber_pre_key_id'),
    kyberPreKey: KEMPublicKey.deserialize(bytes(json, 'kyber_pre_key')),
    kyberPreKeySignature: bytes(json, 'kyber_pre_key_signature'),
  });
}

function bundleToJson(b) {
  return {
    registration_id: b.registrationId, device_id: b.deviceId, pre_key_id: b.preKeyId,
    pre_key: b.preKey === null ? null : b64(b.preKey.serialize()),
    signed_pre_key_id: b.signedPreKeyId, signed_pre_key: b64(b.signedPreKey.serialize()),
    signed_pre_key_signature: b64(b.signedPreKeySignature),
    identity_key: b64(b.identityKey.serialize()), kyber_pre_key_id: b.kyberPreKeyId,
    kyber_pre_key: b64(b.kyberPreKey.serialize()),
    kyber_pre_key_signature: b64(b.kyberPreKeySignature),
  };
}

let self = null; // the Party, once "identity" has run

function me() {
  if (self === null) throw new RequestError('no identity yet: send {"op":"identity",...} first');
  return self;
}

const remote = (req) => ProtocolAddress.new(field(req, 'peer', 'string'), int(req, 'device'));

const ops = {
  async identity(req) {
    if (self !== null) throw new RequestError('identity already created');
    self = new Party(field(req, 'name', 'string'), int(req, 'device'));
    return { identity_key: b64(self.identity.publicKey.serialize()) };
  },
  async bundle(req) {
    const oneTime = req.one_time === undefined ? true : field(req, 'one_time', 'boolean');
    return { bundle: bundleToJson(await me().newBundle({ oneTime })) };
  },
  async process_bundle(req) {
    const p = me();
    await processPreKeyBundle(bundleFromJson(req.bundle), remote(req), p.sessions, p.identities);
    return {};
  },
  async encrypt(req) {
    const p = me();
    const message = await signalEncrypt(bytes(req, 'plaintext'), remote(req),
      p.sessions, p.identities);
    const type = message.type() === CiphertextMessageType.PreKey ? 'prekey' : 'whisper';
    return { type, body: b64(message.serialize()) };
  },
  async decrypt(req) {
    const p = me();
    const body = bytes(req, 'body');
    const type = field(req, 'type', 'string');
    let plaintext;
    if (type === 'prekey') {
      plaintext = await signalDecryptPreKey(PreKeySignalMessage.deserialize(body), remote(req),
        p.sessions, p.identities, p.preKeys, p.signedPreKeys, p.kyberPreKeys);
    } else if (type === 'whisper') {
      plaintext = await signalDecrypt(SignalMessage.deserialize(body), remote(req),
        p.sessions, p.identities);
    } else {
      throw new RequestError('field "type" must be "prekey" or "whisper"');
    }
    return { plaintext: b64(plaintext) };
  },
  // libsignal's serialisations of this party's identity key pair and latest bundle's records.
  async records() {
    const p = me();
    if (p.lastRecords === undefined) throw new RequestError('no bundle yet');
    const r = p.lastRecords;
    return {
      records: {
        identity_key_pair: b64(p.identity.serialize()),
        pre_key: r.preKey === null ? null : b64(r.preKey.serialize()),
        signed_pre_key: b64(r.signed.serialize()),
        kyber_pre_key: b64(r.kyber.serialize()),
      },
    };
  },
  // Parses records made by another peer and serialises them again.
  async reserialize_records(req) {
    const r = req.records;
    if (typeof r !== 'object' || r === null) throw new RequestError('field "records" must be an object');
    return {
      records: {
        identity_key_pair: b64(IdentityKeyPair.deserialize(bytes(r, 'identity_key_pair')).serialize()),
        pre_key: orNull(r, 'pre_key', (o, k) => b64(PreKeyRecord.deserialize(bytes(o, k)).serialize())),
        signed_pre_key: b64(SignedPreKeyRecord.deserialize(bytes(r, 'signed_pre_key')).serialize()),
        kyber_pre_key: b64(KyberPreKeyRecord.deserialize(bytes(r, 'kyber_pre_key')).serialize()),
      },
    };
  },
  async fingerprint(req) {
    const p = me();
    const peer = field(req, 'peer', 'string');
    const theirs = p.identities.identityByName(peer);
    if (theirs === null) throw new RequestError(`no identity key known for "${peer}"`);
    const utf8 = (s) => new Uint8Array(Buffer.from(s, 'utf8'));
    const fp = Fingerprint.new(fingerprintIterations, fingerprintVersion,
      utf8(p.address.name()), p.identity.publicKey, utf8(peer), theirs);
    return {
      displayable: fp.displayableFingerprint().toString(),
      scannable: b64(fp.scannableFingerprint().toBuffer()),
    };
  },
};

// libsignal errors carry a code; naming it (DuplicatedMessage, ...) makes failures readable.
function describe(error) {
  if (error instanceof RequestError) return `bad request: ${error.message}`;
  const code = typeof error?.code === 'number' ? ErrorCode[error.code] : undefined;
  const message = error?.message ?? String(error);
  return code === undefined ? message : `${code}: ${message}`;
}

async function handle(line) {
  let req;
  try {
    req = JSON.parse(line);
  } catch {
    return { ok: false, error: 'bad request: not JSON' };
  }
  if (typeof req !== 'object' || req === null || Array.isArray(req)) {
    return { ok: false, error: 'bad request: not a JSON object' };
  }
  const op = typeof req.op === 'string' && Object.hasOwn(ops, req.op) ? ops[req.op] : null;
  if (op === null) return { ok: false, error: `bad request: unknown op ${JSON.stringify(req.op)}` };
  try {
    return { ok: true, ...(await op(req)) };
  } catch (error) {
    return { ok: false, error: describe(error) };
  }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  process.stdout.write(`${JSON.stringify(await handle(line))}\n`);
}
