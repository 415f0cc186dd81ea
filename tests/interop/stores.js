// In-memory libsignal stores for the test peers (0.90.0 API, dist/index.d.ts).
//
// Records are kept serialised, as an app's database would keep them: every operation then pays
// the same (de)serialisation cost a real client pays (bench.js measures it), and no native
// handle is shared between a stored value and a caller that might keep using it.
import signal from './libsignal.js';

const {
  IdentityChange, IdentityKeyStore, KyberPreKeyRecord, KyberPreKeyStore, PreKeyRecord,
  PreKeyStore, SessionRecord, SessionStore, SignedPreKeyRecord, SignedPreKeyStore,
} = signal;

const addressKey = (address) => `${address.name()}.${address.deviceId()}`;

function mustGet(map, key, what) {
  const value = map.get(key);
  if (value === undefined) throw new Error(`no ${what} ${key}`);
  return value;
}

export class MemorySessionStore extends SessionStore {
  #records = new Map();
  async saveSession(address, record) { this.#records.set(addressKey(address), record.serialize()); }
  async getSession(address) {
    const bytes = this.#records.get(addressKey(address));
    return bytes === undefined ? null : SessionRecord.deserialize(bytes);
  }
  async getExistingSessions(addresses) {
    return addresses.map((address) =>
      SessionRecord.deserialize(mustGet(this.#records, addressKey(address), 'session')));
  }
}

// Trust on first use. Identities are keyed by name only: an identity key belongs to the account,
// not to one device, and the fingerprint op looks it up by name.
export class MemoryIdentityStore extends IdentityKeyStore {
  #identities = new Map();
  constructor(identityKeyPair, registrationId) {
    super();
    this.identityKeyPair = identityKeyPair;
    this.registrationId = registrationId;
  }
  async getIdentityKey() { return this.identityKeyPair.privateKey; }
  async getLocalRegistrationId() { return this.registrationId; }
  async saveIdentity(address, key) {
    const known = this.#identities.get(address.name());
    this.#identities.set(address.name(), key);
    return known !== undefined && !known.equals(key)
      ? IdentityChange.ReplacedExisting : IdentityChange.NewOrUnchanged;
  }
  async isTrustedIdentity(address, key, _direction) {
    const known = this.#identities.get(address.name());
    return known === undefined || known.equals(key);
  }
  async getIdentity(address) { return this.identityByName(address.name()); }
  identityByName(name) { return this.#identities.get(name) ?? null; }
}

export class MemoryPreKeyStore extends PreKeyStore {
  #records = new Map();
  async savePreKey(id, record) { this.#records.set(id, record.serialize()); }
  async getPreKey(id) { return PreKeyRecord.deserialize(mustGet(this.#records, id, 'pre key')); }
  async removePreKey(id) { this.#records.delete(id); }
}

export class MemorySignedPreKeyStore extends SignedPreKeyStore {
  #records = new Map();
  async saveSignedPreKey(id, record) { this.#records.set(id, record.serialize()); }
  async getSignedPreKey(id) {
    return SignedPreKeyRecord.deserialize(mustGet(this.#records, id, 'signed pre key'));
  }
}

// Every Kyber prekey the peers hand out is one-time (a fresh one per bundle), so a used one is
// deleted. libsignal calls markKyberPreKeyUsed only after the PreKey message decrypted; later
// PreKey messages of the same session reuse that session without looking the key up again.
export class MemoryKyberPreKeyStore extends KyberPreKeyStore {
  #records = new Map();
  async saveKyberPreKey(id, record) { this.#records.set(id, record.serialize()); }
  async getKyberPreKey(id) {
    return KyberPreKeyRecord.deserialize(mustGet(this.#records, id, 'kyber pre key'));
  }
  async markKyberPreKeyUsed(id, _signedPreKeyId, _baseKey) { this.#records.delete(id); }
}
