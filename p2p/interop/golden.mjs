// Prints golden vectors for the Java gossipsub codec and StrictSign code, made with js-libp2p's own
// RPC protobuf codec, key types and message-id function. Ed25519 signatures are deterministic, so
// the output is stable; regenerate with `node golden.mjs > ../src/test/resources/pubsub/js-golden.json`.
import { RPC } from '@libp2p/gossipsub/message'
import { generateKeyPairFromSeed, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'

const hex = (b) => Buffer.from(b).toString('hex')
const SIGN_PREFIX = Buffer.from('libp2p-pubsub:')

async function signed (seedHex, topic, text, seqno) {
  const key = await generateKeyPairFromSeed('Ed25519', Buffer.from(seedHex, 'hex'))
  const peerId = peerIdFromPrivateKey(key)
  const seqnoBytes = Buffer.alloc(8)
  seqnoBytes.writeBigUInt64BE(seqno)
  const unsigned = { from: peerId.toMultihash().bytes, data: Buffer.from(text), seqno: seqnoBytes, topic }
  const signature = await key.sign(Buffer.concat([SIGN_PREFIX, RPC.Message.encode(unsigned)]))
  const keyBytes = publicKeyToProtobuf(key.publicKey)
  const message = { ...unsigned, signature, key: keyBytes }
  return {
    seed: seedHex,
    peerId: peerId.toString(),
    topic,
    data: hex(unsigned.data),
    seqno: hex(seqnoBytes),
    signature: hex(signature),
    key: hex(keyBytes),
    messageBytes: hex(RPC.Message.encode(message)),
    // js StrictSign default message id: protobuf(PublicKey) || 8-byte big-endian seqno
    msgId: hex(Buffer.concat([keyBytes, seqnoBytes])),
    rpcBytes: hex(RPC.encode({ subscriptions: [], messages: [message] }))
  }
}

const control = {
  subscriptions: [{ subscribe: true, topic: '/tl/jobs/1' }, { subscribe: false, topic: 'old' }],
  messages: [],
  control: {
    ihave: [{ topicID: '/tl/jobs/1', messageIDs: [Buffer.from('0102', 'hex'), Buffer.from('ff', 'hex')] }],
    iwant: [{ messageIDs: [Buffer.from('0a0b0c', 'hex')] }],
    graft: [{ topicID: '/tl/pol/1' }],
    prune: [{ topicID: '/tl/assign/1', peers: [{ peerID: Buffer.from('0024080112', 'hex') }], backoff: 60 }],
    idontwant: [{ messageIDs: [Buffer.from('beef', 'hex')] }]
  }
}

console.log(JSON.stringify({
  generator: 'p2p/interop/golden.mjs with @libp2p/gossipsub 17.1.1',
  signed: [
    await signed('00'.repeat(32), '/tl/jobs/1', 'hello from js', 1n),
    await signed('7f'.repeat(32), 'interop', '', 0x18eab222fc793cc1n)
  ],
  controlRpcBytes: hex(RPC.encode(control))
}, null, 2))
