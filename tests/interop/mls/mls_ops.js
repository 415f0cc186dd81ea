// The operations of the MLS interop peer (README.md, "The peer protocol") over ts-mls 1.6.4.
// One MlsPeer is one client: a basic credential (identity = its name in UTF-8), one Ed25519
// signature key for all its KeyPackages and leaves, the private halves of the KeyPackages it
// handed out (kept until a Welcome consumes one), and its groups by group id.
//
// ts-mls is functional: every call returns a new state and leaves the old one intact, so a
// request that throws leaves the group exactly as it was (the protocol demands this of
// "process"; here it holds for every op).
import * as mls from 'ts-mls';
import { greaseCapabilities } from 'ts-mls/grease.js';
import { makeKeyPackageRef } from 'ts-mls/keyPackage.js';
import { decodeRatchetTree, encodeRatchetTree } from 'ts-mls/ratchetTree.js';

export class RequestError extends Error {
  name = 'RequestError';
}

export const suiteNames = new Map([
  [1, 'MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519'],
  [3, 'MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519'],
]);

// ts-mls's defaultCapabilities() adds each of the 15 GREASE values (RFC 9420 §13.5) with
// probability 0.1 per list. Adding all of them, always, keeps runs reproducible and makes every
// run exercise the receiver's GREASE handling.
export function peerCapabilities() {
  return greaseCapabilities({ probabilityPerGreaseValue: 1 }, {
    versions: ['mls10'],
    ciphersuites: Object.keys(mls.ciphersuites),
    extensions: [],
    proposals: [],
    credentials: ['basic', 'x509'],
  });
}

// Handshake messages go out as PrivateMessage (ts-mls's default for createCommit).
const commitOptions = { wireAsPublicMessage: false, ratchetTreeExtension: false };

const b64 = (data) => Buffer.from(data).toString('base64');
const toNumber = (epoch) => Number(epoch);

function field(request, key, type) {
  const value = request[key];
  if (typeof value !== type) throw new RequestError(`field "${key}" must be a ${type}`);
  return value;
}

// Buffer.from(..., 'base64') silently skips junk, so the alphabet and padding are checked first.
function bytesFrom(text, what) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw new RequestError(`${what} is not standard base64`);
  }
  return new Uint8Array(Buffer.from(text, 'base64'));
}

const bytes = (request, key) => bytesFrom(request[key], `field "${key}"`);

function array(request, key) {
  const value = request[key];
  if (!Array.isArray(value)) throw new RequestError(`field "${key}" must be an array`);
  return value;
}

// Decodes exactly one value from all of `data` with a ts-mls decoder.
function decodeAll(decoder, data, what) {
  const decoded = decoder(data, 0);
  if (decoded === undefined) throw new RequestError(`${what} does not decode`);
  if (decoded[1] !== data.length) throw new RequestError(`${what} has trailing bytes`);
  return decoded[0];
}

function decodeMessage(data, wireformats, what) {
  const message = decodeAll(mls.decodeMlsMessage, data, what);
  if (message.version !== 'mls10') throw new RequestError(`${what} is not MLS 1.0`);
  if (!wireformats.includes(message.wireformat)) {
    throw new RequestError(`${what} has wire format ${message.wireformat}`);
  }
  return message;
}

const encodeMessage = (content) => mls.encodeMlsMessage({ version: 'mls10', ...content });

function sameBytes(a, b) {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

// The content type and group id a handshake or application message claims on the outside.
function outerHeader(message) {
  if (message.wireformat === 'mls_private_message') {
    const pm = message.privateMessage;
    return { groupId: pm.groupId, contentType: pm.contentType };
  }
  const content = message.publicMessage.content;
  return { groupId: content.groupId, contentType: content.contentType };
}

export class MlsPeer {
  #cs = null;
  #credential = null;
  #signatureKeys = null;
  #keyPackages = new Map();  // base64 KeyPackageRef -> {publicPackage, privatePackage}
  #groups = new Map();       // base64 group id -> ClientState

  async handle(request) {
    const op = field(request, 'op', 'string');
    if (op === 'identity') return this.#identity(request);
    if (!Object.hasOwn(MlsPeer.#ops, op)) throw new RequestError(`unknown op "${op}"`);
    if (this.#cs === null) throw new RequestError('the first request must be "identity"');
    return MlsPeer.#ops[op].call(this, request);
  }

  static #ops = {
    key_package: MlsPeer.prototype.keyPackage,
    create_group: MlsPeer.prototype.createGroup,
    add: MlsPeer.prototype.add,
    remove: MlsPeer.prototype.remove,
    update: MlsPeer.prototype.update,
    join: MlsPeer.prototype.join,
    encrypt: MlsPeer.prototype.encrypt,
    process: MlsPeer.prototype.process,
    state: MlsPeer.prototype.state,
  };

  async #identity(request) {
    if (this.#cs !== null) throw new RequestError('identity is already set');
    const name = field(request, 'name', 'string');
    if (name.length === 0) throw new RequestError('field "name" must not be empty');
    const suite = suiteNames.get(request.suite);
    if (suite === undefined) throw new RequestError('field "suite" must be 1 or 3');
    const cs = await mls.getCiphersuiteImpl(mls.getCiphersuiteFromName(suite));
    this.#signatureKeys = await cs.signature.keygen();
    this.#credential = { credentialType: 'basic', identity: new TextEncoder().encode(name) };
    this.#cs = cs;
    return {};
  }

  // A fresh KeyPackage and its private keys; lifetime is ts-mls's defaultLifetime (0 .. 2^63-1).
  async #newKeyPackage() {
    return mls.generateKeyPackageWithKey(this.#credential, peerCapabilities(), mls.defaultLifetime,
      [], this.#signatureKeys, this.#cs);
  }

  async keyPackage() {
    const kp = await this.#newKeyPackage();
    const ref = await makeKeyPackageRef(kp.publicPackage, this.#cs.hash);
    this.#keyPackages.set(b64(ref), kp);
    return {
      key_package: b64(encodeMessage({ wireformat: 'mls_key_package', keyPackage: kp.publicPackage })),
    };
  }

  async createGroup(request) {
    const groupId = bytes(request, 'group_id');
    if (this.#groups.has(b64(groupId))) throw new RequestError('group already exists');
    const kp = await this.#newKeyPackage();
    const state = await mls.createGroup(groupId, kp.publicPackage, kp.privatePackage, [], this.#cs);
    this.#groups.set(b64(groupId), state);
    return { epoch: toNumber(state.groupContext.epoch) };
  }

  #group(request) {
    const key = b64(bytes(request, 'group_id'));
    const state = this.#groups.get(key);
    if (state === undefined) throw new RequestError('no such group');
    return { key, state };
  }

  async #commit(request, proposals) {
    const { key, state } = this.#group(request);
    const result = await mls.createCommit({ state, cipherSuite: this.#cs },
      { ...commitOptions, extraProposals: proposals });
    this.#groups.set(key, result.newState);
    return {
      result,
      response: {
        commit: b64(mls.encodeMlsMessage(result.commit)),
        epoch: toNumber(result.newState.groupContext.epoch),
      },
    };
  }

  async add(request) {
    const keyPackages = array(request, 'key_packages');
    if (keyPackages.length === 0) throw new RequestError('field "key_packages" is empty');
    const proposals = keyPackages.map((text, i) => {
      const what = `key_packages[${i}]`;
      const message = decodeMessage(bytesFrom(text, what), ['mls_key_package'], what);
      return { proposalType: 'add', add: { keyPackage: message.keyPackage } };
    });
    const { result, response } = await this.#commit(request, proposals);
    return {
      ...response,
      welcome: b64(encodeMessage({ wireformat: 'mls_welcome', welcome: result.welcome })),
      ratchet_tree: b64(encodeRatchetTree(result.newState.ratchetTree)),
    };
  }

  async remove(request) {
    const leaves = array(request, 'leaves');
    if (leaves.length === 0) throw new RequestError('field "leaves" is empty');
    const proposals = leaves.map((leaf) => {
      if (!Number.isSafeInteger(leaf) || leaf < 0 || leaf > 0xffffffff) {
        throw new RequestError('field "leaves" must hold uint32 leaf indices');
      }
      return { proposalType: 'remove', remove: { removed: leaf } };
    });
    return (await this.#commit(request, proposals)).response;
  }

  // An empty commit: ts-mls then always sends a path, which refreshes the committer's leaf.
  async update(request) {
    return (await this.#commit(request, [])).response;
  }

  async join(request) {
    const welcome = decodeMessage(bytes(request, 'welcome'), ['mls_welcome'], 'welcome').welcome;
    const tree = decodeAll(decodeRatchetTree, bytes(request, 'ratchet_tree'), 'ratchet_tree');
    const refs = welcome.secrets.map((secret) => b64(secret.newMember));
    const ref = refs.find((candidate) => this.#keyPackages.has(candidate));
    if (ref === undefined) throw new RequestError('the welcome is for none of our KeyPackages');
    const kp = this.#keyPackages.get(ref);
    const state = await mls.joinGroup(welcome, kp.publicPackage, kp.privatePackage,
      mls.emptyPskIndex, this.#cs, tree);
    const key = b64(state.groupContext.groupId);
    if (this.#groups.has(key)) throw new RequestError('already a member of that group');
    this.#keyPackages.delete(ref);
    this.#groups.set(key, state);
    return { group_id: key, epoch: toNumber(state.groupContext.epoch) };
  }

  async encrypt(request) {
    const { key, state } = this.#group(request);
    const result = await mls.createApplicationMessage(state, bytes(request, 'plaintext'), this.#cs);
    this.#groups.set(key, result.newState);
    return {
      message: b64(encodeMessage({
        wireformat: 'mls_private_message', privateMessage: result.privateMessage,
      })),
    };
  }

  async process(request) {
    const { key, state } = this.#group(request);
    const message = decodeMessage(bytes(request, 'message'),
      ['mls_private_message', 'mls_public_message'], 'message');
    const header = outerHeader(message);
    if (!sameBytes(header.groupId, state.groupContext.groupId)) {
      throw new RequestError('message is for another group');
    }
    if (header.contentType === 'proposal') {
      throw new RequestError('proposals are not part of the interop protocol');
    }
    const result = await mls.processMessage(message, state, mls.emptyPskIndex, mls.acceptAll,
      this.#cs);
    this.#groups.set(key, result.newState);
    const epoch = toNumber(result.newState.groupContext.epoch);
    if (result.kind === 'applicationMessage') {
      return { kind: 'application', epoch, plaintext: b64(result.message) };
    }
    return { kind: 'commit', epoch };
  }

  async state(request) {
    const { state } = this.#group(request);
    const members = [];
    state.ratchetTree.forEach((node, nodeIndex) => {
      if (node?.nodeType !== 'leaf') return;
      members.push({ leaf: nodeIndex / 2, identity: b64(node.leaf.credential.identity) });
    });
    return {
      epoch: toNumber(state.groupContext.epoch),
      epoch_authenticator: b64(state.keySchedule.epochAuthenticator),
      members,
    };
  }
}
