// Generated MerkleTreeTest golden values once: npm install @openzeppelin/merkle-tree@1 && node oz-merkle-golden.js
const { StandardMerkleTree } = require('@openzeppelin/merkle-tree');
const { keccak256 } = require('ethereum-cryptography/keccak');
const hex = b => '0x' + Buffer.from(b).toString('hex');
for (let n = 1; n <= 5; n++) {
  const values = [];
  for (let i = 0; i < n; i++) values.push([hex(keccak256(Uint8Array.from([i])))]);
  const t = StandardMerkleTree.of(values, ['bytes32'], { sortLeaves: false });
  console.log(n, t.root, n >= 3 ? JSON.stringify(t.getProof(2)) : '');
}
