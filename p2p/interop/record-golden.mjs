// Prints a golden signed peer record (RFC 0002 envelope around an RFC 0003 PeerRecord) sealed by
// js-libp2p's own code from a fixed Ed25519 seed. Ed25519 signatures are deterministic, so the
// output is stable; regenerate with
// `node record-golden.mjs > ../src/test/resources/record/js-peer-record.json`.
import { PeerRecord, RecordEnvelope } from '@libp2p/peer-record'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'

const seed = '11'.repeat(32)
const key = await generateKeyPairFromSeed('Ed25519', Buffer.from(seed, 'hex'))
const peerId = peerIdFromPrivateKey(key)
const addrs = ['/ip4/127.0.0.1/tcp/4001', '/ip6/::1/tcp/4002']
const record = new PeerRecord({ peerId, seqNumber: 1733550000000n, multiaddrs: addrs.map((a) => multiaddr(a)) })
const envelope = await RecordEnvelope.seal(record, key)
console.log(JSON.stringify({
  generator: 'p2p/interop/record-golden.mjs with @libp2p/peer-record 9.0.16',
  seed,
  peerId: peerId.toString(),
  seq: '1733550000000',
  addrs: addrs.join(' '),
  payload: Buffer.from(record.marshal()).toString('hex'),
  envelope: Buffer.from(envelope.marshal()).toString('hex')
}, null, 2))
