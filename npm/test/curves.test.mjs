// The curve precompiles (bn254 0x06-0x08, KZG 0x0a, BLS12-381 0x0b-0x11, P256VERIFY 0x100), RIPEMD-160 (0x03) and
// modexp (0x05) run their arithmetic in the second wasm module, loaded on first use. Their results (output, success, gas) must be those
// of @ethereumjs/evm (an independent implementation, noble curves) on valid and invalid points;
// the points are built with @noble/curves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { createEVM } from '@ethereumjs/evm';
import { createAddressFromString, hexToBytes, bytesToHex } from '@ethereumjs/util';
import { bn254 } from '@noble/curves/bn254.js';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { createEngine, loadCurves } from '../dist/esm/node.js';

const CALLER = '0x00000000000000000000000000000000ca11e401';
const GAS = 30_000_000n;
const at = (n) => '0x' + n.toString(16).padStart(40, '0');
const be = (n, bytes) => n.toString(16).padStart(bytes * 2, '0');
// bn254 (EIP-196/197): 32-byte coordinates; G2 as x_imag ‖ x_real ‖ y_imag ‖ y_real.
const bnG1 = (p) => (p.equals(bn254.G1.Point.ZERO) ? '00'.repeat(64) : ((a) => be(a.x, 32) + be(a.y, 32))(p.toAffine()));
const bnG2 = (p) => ((a) => be(a.x.c1, 32) + be(a.x.c0, 32) + be(a.y.c1, 32) + be(a.y.c0, 32))(p.toAffine());
// BLS12-381 (EIP-2537): 64-byte field elements; G2 as x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1.
const fp = (n) => be(n, 64);
const blsG1 = (p) => ((a) => fp(a.x) + fp(a.y))(p.toAffine());
const blsG2 = (p) => ((a) => fp(a.x.c0) + fp(a.x.c1) + fp(a.y.c0) + fp(a.y.c1))(p.toAffine());
const scalar = (k) => be(k, 32);

const G1 = bn254.G1.Point.BASE;
const G2 = bn254.G2.Point.BASE;
const B1 = bls12_381.G1.Point.BASE;
const B2 = bls12_381.G2.Point.BASE;
/** Deterministic pseudo-random scalars (a 64-bit LCG), so a failure can be replayed. */
function* scalars(seed) {
  let s = seed;
  for (;;) {
    s = (s * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
    yield (s << 64n) | (s ^ 0x9e3779b97f4a7c15n);
  }
}

function cases() {
  const k = scalars(21n);
  // Below both groups' orders (noble's multiply wants them reduced; the precompiles take any).
  const order = bls12_381.fields.Fr.ORDER < bn254.fields.Fr.ORDER ? bls12_381.fields.Fr.ORDER : bn254.fields.Fr.ORDER;
  const r = () => k.next().value % order;
  const [a, b, c] = [r(), r(), r()];
  const offCurve = be(1n, 32) + be(3n, 32);
  const blsOff = fp(1n) + fp(3n);
  // modexp (EIP-198): the three 32-byte lengths, then base, exponent and modulus.
  const modexp = (base, exp, mod) => be(BigInt(base.length / 2), 32) + be(BigInt(exp.length / 2), 32) + be(BigInt(mod.length / 2), 32) + base + exp + mod;
  const big = (bytes) => be(k.next().value, 32).repeat(bytes / 32);
  return [
    ['ripemd160 of nothing', 0x03, ''],
    ['ripemd160 of 200 bytes', 0x03, big(192) + 'ab'.repeat(8)],
    ['modexp 3^5 % 7', 0x05, modexp('03', '05', '07')],
    ['modexp with a 64-byte modulus', 0x05, modexp(big(64), big(32), big(64))],
    ['modexp with a 256-byte even modulus', 0x05, modexp(big(96), '010001', big(256).slice(0, -2) + '00')],
    ['modexp modulo zero', 0x05, modexp(big(32), big(32), '00'.repeat(32))],
    ['modexp with a truncated input (padded)', 0x05, modexp(big(32), big(32), big(32)).slice(0, 300)],
    ['bn254 add', 0x06, bnG1(G1.multiply(a)) + bnG1(G1.multiply(b))],
    ['bn254 add of infinity', 0x06, bnG1(G1.multiply(a)) + '00'.repeat(64)],
    ['bn254 add off the curve', 0x06, offCurve + bnG1(G1)],
    ['bn254 add short input (padded)', 0x06, bnG1(G1.multiply(c)).slice(0, 100)],
    ['bn254 mul', 0x07, bnG1(G1.multiply(a)) + scalar(b)],
    ['bn254 mul by 2^256-1', 0x07, bnG1(G1) + 'ff'.repeat(32)],
    ['bn254 pairing holds', 0x08, bnG1(G1.multiply((a * b) % bn254.fields.Fr.ORDER)) + bnG2(G2) + bnG1(G1.multiply(a).negate()) + bnG2(G2.multiply(b))],
    ['bn254 pairing fails', 0x08, bnG1(G1.multiply(a)) + bnG2(G2)],
    ['bn254 pairing bad length', 0x08, bnG1(G1) + bnG2(G2).slice(2)],
    ['bls g1add', 0x0b, blsG1(B1.multiply(a)) + blsG1(B1.multiply(b))],
    ['bls g1add off the curve', 0x0b, blsOff + blsG1(B1)],
    ['bls g1msm', 0x0c, blsG1(B1.multiply(a)) + scalar(b) + blsG1(B1.multiply(c)) + scalar(a)],
    ['bls g2add', 0x0d, blsG2(B2.multiply(a)) + blsG2(B2.multiply(b))],
    ['bls g2msm', 0x0e, blsG2(B2.multiply(c)) + scalar(a)],
    ['bls pairing holds', 0x0f, blsG1(B1.multiply(a)) + blsG2(B2.multiply(b)) + blsG1(B1.multiply((a * b) % bls12_381.fields.Fr.ORDER).negate()) + blsG2(B2)],
    ['bls pairing fails', 0x0f, blsG1(B1.multiply(a)) + blsG2(B2)],
    ['bls map fp to g1', 0x10, fp(c % bls12_381.fields.Fp.ORDER)],
    ['bls map fp2 to g2', 0x11, fp(a % bls12_381.fields.Fp.ORDER) + fp(b % bls12_381.fields.Fp.ORDER)],
    ['bls map fp not below p', 0x10, fp(bls12_381.fields.Fp.ORDER)],
  ];
}

test('curve precompiles through the curve module agree with @ethereumjs/evm', async () => {
  const engine = await createEngine({ chainId: 1, flow: 'ethereum', hardfork: 'prague', baseFee: 0n });
  engine.setAccount(CALLER, { balance: 10n ** 24n });
  const evm = await createEVM({ common: new Common({ chain: Mainnet, hardfork: Hardfork.Prague }) });
  for (const [name, address, hex] of cases()) {
    const data = '0x' + hex;
    const z = engine.call({ from: CALLER, to: at(address), data, gas: GAS });
    const e = await evm.runCall({ to: createAddressFromString(at(address)), caller: createAddressFromString(CALLER), data: hexToBytes(data), gasLimit: GAS - 100_000n, skipBalance: true });
    const ok = e.execResult.exceptionError === undefined;
    assert.equal(z.status === 'success', ok, `${name}: success`);
    if (ok) {
      assert.equal(z.returnData, bytesToHex(e.execResult.returnValue), `${name}: output`);
      // Intrinsic 21000 + calldata gas, at least the EIP-7623 floor (Prague): 10 per token, a
      // zero byte one token and any other four.
      const bytes = [...hexToBytes(data)];
      const calldataGas = bytes.reduce((s, x) => s + (x === 0 ? 4n : 16n), 0n);
      const floor = 21000n + 10n * bytes.reduce((s, x) => s + (x === 0 ? 1n : 4n), 0n);
      const used = 21000n + calldataGas + e.execResult.executionGasUsed;
      assert.equal(z.gasUsed, used > floor ? used : floor, `${name}: gas`);
    }
  }
});

test('KZG point evaluation through the curve module: the EIP-4844 vector holds, a changed y fails', async () => {
  // The first vector of core/src/precompiles/point_evaluation.rs (from go-ethereum's
  // precompiled tests): the success output is FIELD_ELEMENTS_PER_BLOB ‖ BLS_MODULUS.
  const input =
    '01e798154708fe7789429634053cbf9f99b619f9f084048927333fce637f549b564c0a11a0f704f4fc3e8acfe0f8245f0ad1347b378fbf96e206da11a5d3630624d25032e67a7e6a4910df5834b8fe70e6bcfeeac0352434196bdf4b2485d5a18f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7873033e038326e87ed3e1276fd140253fa08e9fc25fb2d9a98527fc22a2c9612fbeafdad446cbc7bcdbdcd780af2c16a';
  const engine = await createEngine({ chainId: 1, flow: 'ethereum', hardfork: 'cancun', baseFee: 0n });
  engine.setAccount(CALLER, { balance: 10n ** 24n });
  const ok = engine.call({ from: CALLER, to: at(0x0a), data: '0x' + input, gas: GAS });
  assert.equal(ok.status, 'success');
  assert.equal(ok.returnData, '0x' + be(4096n, 32) + be(bls12_381.fields.Fr.ORDER, 32));
  const changed = input.slice(0, 128) + (input[128] === '0' ? '1' : '0') + input.slice(129);
  assert.notEqual(engine.call({ from: CALLER, to: at(0x0a), data: '0x' + changed, gas: GAS }).status, 'success');
});

test('loadCurves is idempotent and the engine keeps answering', async () => {
  await loadCurves();
  await loadCurves();
  const engine = await createEngine({ chainId: 1, flow: 'ethereum', hardfork: 'cancun', baseFee: 0n });
  engine.setAccount(CALLER, { balance: 10n ** 24n });
  const twoG = engine.call({ from: CALLER, to: at(0x06), data: '0x' + bnG1(G1) + bnG1(G1), gas: GAS });
  assert.equal(twoG.returnData, '0x' + bnG1(G1.double()));
});

test('P256VERIFY through the curve module agrees with @noble/curves on a valid and a changed signature', async () => {
  // A fixed key (any scalar in [1, n)) so a failure can be replayed.
  const secret = hexToBytes('0x' + '1f'.repeat(32));
  const hash = sha256(new TextEncoder().encode('zkos P256VERIFY'));
  const signature = p256.sign(hash, secret, { prehash: false });
  const key = p256.getPublicKey(secret, false).slice(1);
  const input = (h) => bytesToHex(h) + be(signature.r, 32) + be(signature.s, 32) + bytesToHex(key).slice(2);
  const changed = Uint8Array.from(hash, (b, i) => (i === 0 ? b ^ 1 : b));
  // Osaka: P256VERIFY is active, and a transaction's gas stops at EIP-7825's 2^24.
  const engine = await createEngine({ chainId: 1, flow: 'ethereum', hardfork: 'osaka', baseFee: 0n });
  engine.setAccount(CALLER, { balance: 10n ** 24n });
  for (const [h, expected] of [[hash, '0x' + be(1n, 32)], [changed, '0x']]) {
    assert.equal(p256.verify(signature, h, p256.getPublicKey(secret, false), { prehash: false }), expected !== '0x');
    const z = engine.call({ from: CALLER, to: at(0x100), data: input(h), gas: 1_000_000n });
    assert.equal(z.status, 'success');
    assert.equal(z.returnData, expected);
  }
});
