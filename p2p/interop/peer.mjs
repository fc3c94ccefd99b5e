// A js-libp2p peer that the Java stack is tested and benchmarked against.
//
// It speaks TCP + Noise + yamux + identify + ping + gossipsub (StrictSign) and one custom protocol,
// /tl/bulk/1.0.0: the dialer writes N bytes and closes its write side; the listener hashes what it
// reads until EOF, answers with the 32-byte SHA-256 and closes.
//
// Everything it has to say goes to stdout as one JSON object per line ("event" names the kind);
// diagnostics go to stderr. It takes commands as JSON lines on stdin (see COMMANDS below), and the
// same actions can be given once on the command line for scripted runs (see README.md).
import { createHash, randomFillSync } from 'node:crypto'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { createLibp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { gossipsub } from '@libp2p/gossipsub'
import { generateKeyPair, generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { peerIdFromString } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { autoNAT } from '@libp2p/autonat'

const BULK_PROTOCOL = '/tl/bulk/1.0.0'

const { values: opts } = parseArgs({
  options: {
    listen: { type: 'string', default: '/ip4/127.0.0.1/tcp/0' },
    seed: { type: 'string' }, // 64 hex chars: a fixed Ed25519 identity
    topic: { type: 'string', multiple: true, default: [] },
    dial: { type: 'string' },
    'bulk-bytes': { type: 'string' },
    'bulk-repeat': { type: 'string', default: '1' },
    'exit-after': { type: 'boolean', default: false },
    serve: { type: 'boolean', default: false }, // ignore stdin and run until killed
    dht: { type: 'boolean', default: false }, // run @libp2p/kad-dht in server mode on /ipfs/kad/1.0.0
    'relay-server': { type: 'boolean', default: false }, // serve circuit relay v2 (hop) for others
    autonat: { type: 'boolean', default: false }, // run @libp2p/autonat (v1): serve dial-backs, probe peers
    'relay-client': { type: 'boolean', default: false }, // dial /p2p-circuit addresses, accept circuits
    'listen-circuit': { type: 'string' }, // a relay multiaddr to reserve a slot on (implies --relay-client)
    'max-gossip-bytes': { type: 'string', default: String(4 * 1024 * 1024) }
  }
})

const emit = (event, fields = {}) => process.stdout.write(JSON.stringify({ event, ...fields }) + '\n')
const hex = (bytes) => Buffer.from(bytes).toString('hex')

// The /tl/ record namespace, as TensorLink's tests define it: values 'v<version>:<text>', the highest
// version wins (the Java side's test validator does the same).
const tlVersion = (value) => {
  const m = /^v(\d{1,9}):/.exec(Buffer.from(value).toString('utf8'))
  if (m == null) throw new Error('tl record value is not v<version>:<text>')
  return Number(m[1])
}
const dhtService = () => kadDHT({
  protocol: '/ipfs/kad/1.0.0',
  clientMode: false, // loopback addresses are not public, so js would otherwise stay a client
  peerInfoMapper: passthroughMapper, // keep loopback addresses (the default strips private ones)
  validators: { tl: async (key, value) => { tlVersion(value) } },
  selectors: { tl: (key, values) => values.reduce((best, v, i) => tlVersion(v) > tlVersion(values[best]) ? i : best, 0) }
})

const privateKey = opts.seed != null
  ? await generateKeyPairFromSeed('Ed25519', Buffer.from(opts.seed, 'hex'))
  : await generateKeyPair('Ed25519')

const node = await createLibp2p({
  privateKey,
  nodeInfo: { userAgent: 'tensorlink-interop-js/0.1.0' },
  addresses: { listen: [opts.listen, ...(opts['listen-circuit'] != null ? [`${opts['listen-circuit']}/p2p-circuit`] : [])] },
  transports: [tcp(), ...(opts['relay-client'] || opts['listen-circuit'] != null ? [circuitRelayTransport()] : [])],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    ping: ping(),
    pubsub: gossipsub({
      allowPublishToZeroTopicPeers: true,
      emitSelf: false,
      maxInboundDataLength: Number(opts['max-gossip-bytes'])
    }),
    ...(opts.dht ? { dht: dhtService() } : {}),
    ...(opts['relay-server'] ? { relay: circuitRelayServer() } : {}),
    ...(opts.autonat ? { autonat: autoNAT() } : {})
  }
})

// Our addresses change when a relay reservation is made (a /p2p-circuit address appears).
node.addEventListener('self:peer:update', () => emit('addresses', { addrs: node.getMultiaddrs().map(String) }))
node.addEventListener('peer:connect', (e) => emit('connected', { peerId: e.detail.toString() }))
node.addEventListener('peer:disconnect', (e) => emit('disconnected', { peerId: e.detail.toString() }))
node.addEventListener('peer:identify', (e) => {
  const r = e.detail
  emit('identified', {
    peerId: r.peerId.toString(),
    agentVersion: r.agentVersion,
    protocolVersion: r.protocolVersion,
    protocols: r.protocols,
    listenAddrs: r.listenAddrs.map(String),
    observedAddr: r.observedAddr?.toString() ?? null,
    // present only when js verified the envelope and that it names the remote peer
    signedPeerRecord: r.signedPeerRecord == null
      ? null
      : { seq: String(r.signedPeerRecord.seq), addrs: r.signedPeerRecord.addresses.map(String) }
  })
})
node.services.pubsub.addEventListener('subscription-change', (e) => {
  for (const s of e.detail.subscriptions) {
    emit('subscription', { peerId: e.detail.peerId.toString(), topic: s.topic, subscribe: s.subscribe })
  }
})
node.services.pubsub.addEventListener('gossipsub:message', (e) => {
  const { msg, msgId, propagationSource } = e.detail
  emit('message', {
    topic: msg.topic,
    from: msg.type === 'signed' ? msg.from.toString() : null,
    seqno: msg.type === 'signed' ? msg.sequenceNumber.toString(16).padStart(16, '0') : null,
    data: hex(msg.data),
    msgId: hex(Buffer.from(msgId, 'base64')),
    via: propagationSource.toString()
  })
})
node.services.pubsub.addEventListener('gossipsub:graft', (e) => emit('graft', { peerId: e.detail.peerId, topic: e.detail.topic }))
node.services.pubsub.addEventListener('gossipsub:prune', (e) => emit('prune', { peerId: e.detail.peerId, topic: e.detail.topic }))

await node.handle(BULK_PROTOCOL, async (stream, connection) => {
  const started = process.hrtime.bigint()
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of stream) {
    const view = chunk.subarray()
    hash.update(view)
    bytes += view.byteLength
  }
  const digest = hash.digest()
  stream.send(digest)
  await stream.close()
  emit('bulk-received', {
    peerId: connection.remotePeer.toString(),
    bytes,
    sha256: hex(digest),
    ms: Number(process.hrtime.bigint() - started) / 1e6
  })
}, { maxInboundStreams: 4 })

for (const topic of opts.topic) node.services.pubsub.subscribe(topic)

emit('listening', { peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(String) })

// Sends `bytes` pseudo-random bytes on /tl/bulk/1.0.0 and checks the digest the listener returns.
// The payload is generated before the clock starts, so the time covers only the transfer.
async function sendBulk (addr, bytes) {
  const payload = randomFillSync(Buffer.allocUnsafe(bytes))
  const expected = createHash('sha256').update(payload).digest()
  const chunk = 256 * 1024
  const started = process.hrtime.bigint()
  const stream = await node.dialProtocol(multiaddr(addr), BULK_PROTOCOL)
  for (let off = 0; off < bytes; off += chunk) {
    if (!stream.send(payload.subarray(off, Math.min(off + chunk, bytes)))) await stream.onDrain()
  }
  await stream.close()
  const reply = []
  for await (const part of stream) reply.push(Buffer.from(part.subarray()))
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  const got = Buffer.concat(reply)
  emit('bulk-sent', {
    bytes,
    sha256: hex(expected),
    remoteSha256: hex(got),
    ok: got.equals(expected),
    ms,
    mbPerSec: bytes / 1e6 / (ms / 1e3)
  })
}

// COMMANDS: one JSON object per stdin line, {"cmd": ..., ...}; errors come back as "error" events.
const commands = {
  dial: async (c) => {
    const conn = await node.dial(multiaddr(c.addr))
    emit('dialed', { peerId: conn.remotePeer.toString(), remoteAddr: conn.remoteAddr.toString(), limited: conn.limits != null })
  },
  ping: async (c) => emit('pong', { addr: c.addr, rttMs: await node.services.ping.ping(multiaddr(c.addr)) }),
  subscribe: async (c) => { node.services.pubsub.subscribe(c.topic); emit('subscribed', { topic: c.topic }) },
  unsubscribe: async (c) => { node.services.pubsub.unsubscribe(c.topic); emit('unsubscribed', { topic: c.topic }) },
  publish: async (c) => {
    const data = c.hex != null ? Buffer.from(c.hex, 'hex') : Buffer.from(c.text ?? '', 'utf8')
    const result = await node.services.pubsub.publish(c.topic, data)
    emit('published', { topic: c.topic, recipients: result.recipients.map(String) })
  },
  peers: async (c) => emit('peers', {
    topic: c.topic,
    subscribers: node.services.pubsub.getSubscribers(c.topic).map(String),
    mesh: node.services.pubsub.getMeshPeers(c.topic)
  }),
  bulk: async (c) => sendBulk(c.addr, Number(c.bytes)),
  'dht-find-peer': async (c) => {
    const info = await node.peerRouting.findPeer(peerIdFromString(c.peerId))
    emit('dht-peer', { peerId: info.id.toString(), addrs: info.multiaddrs.map(String) })
  },
  'dht-put': async (c) => {
    await node.contentRouting.put(Buffer.from(c.key, 'utf8'), Buffer.from(c.value, 'utf8'))
    emit('dht-put', { key: c.key })
  },
  'dht-get': async (c) => {
    const value = await node.contentRouting.get(Buffer.from(c.key, 'utf8'))
    emit('dht-value', { key: c.key, value: Buffer.from(value).toString('utf8') })
  },
  'dht-provide': async (c) => {
    await node.contentRouting.provide(CID.decode(Buffer.from(c.keyHex, 'hex')))
    emit('dht-provided', { keyHex: c.keyHex })
  },
  'dht-find-providers': async (c) => {
    const providers = []
    for await (const p of node.contentRouting.findProviders(CID.decode(Buffer.from(c.keyHex, 'hex')))) {
      providers.push({ peerId: p.id.toString(), addrs: p.multiaddrs.map(String) })
      if (providers.length >= (c.max ?? 1)) break
    }
    emit('dht-providers', { keyHex: c.keyHex, providers })
  },
  'dht-table': async (c) => emit('dht-table', { call: c.call ?? null, size: node.services.dht.routingTable.size }),
  close: async (c) => { await node.hangUp(multiaddr(c.addr)); emit('closed', { addr: c.addr }) },
  exit: async () => { await node.stop(); emit('stopped'); process.exit(0) }
}

async function run (command) {
  const handler = commands[command.cmd]
  if (handler == null) { emit('error', { cmd: command.cmd, message: `unknown command '${command.cmd}'` }); return }
  try {
    await handler(command)
  } catch (err) {
    emit('error', { cmd: command.cmd, message: err.message, name: err.name })
  }
}

if (opts.dial != null && opts['bulk-bytes'] != null) {
  for (let i = 0; i < Number(opts['bulk-repeat']); i++) await run({ cmd: 'bulk', addr: opts.dial, bytes: opts['bulk-bytes'] })
} else if (opts.dial != null) {
  await run({ cmd: 'dial', addr: opts.dial })
}
if (opts['exit-after']) await run({ cmd: 'exit' })

if (opts.serve) {
  process.stdin.destroy()
} else {
  readCommands()
}

function readCommands () {
  const lines = createInterface({ input: process.stdin })
  lines.on('line', (line) => {
    if (line.trim() === '') return
    let command
    try { command = JSON.parse(line) } catch { emit('error', { message: `not JSON: ${line}` }); return }
    run(command)
  })
  // The parent closing our stdin means it is gone: stop rather than linger as an orphan.
  lines.on('close', () => { node.stop().finally(() => process.exit(0)) })
}
