// One libsignal party: identity, registration id, its stores, and the prekey bundles it hands out.
import { randomInt } from 'node:crypto';
import signal from './libsignal.js';
import {
  MemoryIdentityStore, MemoryKyberPreKeyStore, MemoryPreKeyStore, MemorySessionStore,
  MemorySignedPreKeyStore,
} from './stores.js';

const {
  IdentityKeyPair, KEMKeyPair, KyberPreKeyRecord, PreKeyBundle, PreKeyRecord, PrivateKey,
  ProtocolAddress, SignedPreKeyRecord,
} = signal;

// Each id kind starts at its own random point, so a peer that swaps, say, the signed and the
// Kyber prekey id fails instead of passing by coincidence.
const randomId = () => randomInt(1, 1 << 24);

export class Party {
  constructor(name, deviceId) {
    this.address = ProtocolAddress.new(name, deviceId);
    this.identity = IdentityKeyPair.generate();
    this.registrationId = randomInt(1, 16381); // Signal's 14-bit range, 0 excluded
    this.sessions = new MemorySessionStore();
    this.identities = new MemoryIdentityStore(this.identity, this.registrationId);
    this.preKeys = new MemoryPreKeyStore();
    this.signedPreKeys = new MemorySignedPreKeyStore();
    this.kyberPreKeys = new MemoryKyberPreKeyStore();
    this.nextIds = { preKey: randomId(), signed: randomId(), kyber: randomId() };
  }

  // Fresh keys on every call, saved in this party's stores; the public half is returned.
  async newBundle({ oneTime = true } = {}) {
    const now = Date.now();
    const sign = (key) => this.identity.privateKey.sign(key.serialize());
    let preKeyId = null;
    let preKey = null;
    if (oneTime) {
      preKeyId = this.nextIds.preKey++;
      const secret = PrivateKey.generate();
      preKey = secret.getPublicKey();
      await this.preKeys.savePreKey(preKeyId, PreKeyRecord.new(preKeyId, preKey, secret));
    }
    this.lastRecords = { preKey: oneTime ? await this.preKeys.getPreKey(preKeyId) : null };
    const signedPreKeyId = this.nextIds.signed++;
    const signedSecret = PrivateKey.generate();
    const signedPreKey = signedSecret.getPublicKey();
    const signedPreKeySignature = sign(signedPreKey);
    await this.signedPreKeys.saveSignedPreKey(signedPreKeyId, SignedPreKeyRecord.new(
      signedPreKeyId, now, signedPreKey, signedSecret, signedPreKeySignature));
    const kyberPreKeyId = this.nextIds.kyber++;
    const kyberPair = KEMKeyPair.generate();
    const kyberPreKey = kyberPair.getPublicKey();
    const kyberPreKeySignature = sign(kyberPreKey);
    await this.kyberPreKeys.saveKyberPreKey(kyberPreKeyId, KyberPreKeyRecord.new(
      kyberPreKeyId, now, kyberPair, kyberPreKeySignature));
    this.lastRecords.signed = await this.signedPreKeys.getSignedPreKey(signedPreKeyId);
    this.lastRecords.kyber = await this.kyberPreKeys.getKyberPreKey(kyberPreKeyId);
    return {
      registrationId: this.registrationId, deviceId: this.address.deviceId(), preKeyId, preKey,
      signedPreKeyId, signedPreKey, signedPreKeySignature, identityKey: this.identity.publicKey,
      kyberPreKeyId, kyberPreKey, kyberPreKeySignature,
    };
  }
}

export function toPreKeyBundle(b) {
  return PreKeyBundle.new(b.registrationId, b.deviceId, b.preKeyId, b.preKey, b.signedPreKeyId,
    b.signedPreKey, b.signedPreKeySignature, b.identityKey, b.kyberPreKeyId, b.kyberPreKey,
    b.kyberPreKeySignature);
}
