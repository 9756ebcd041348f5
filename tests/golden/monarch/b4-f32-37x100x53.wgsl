// ==== monarch-r-f32-37x100x53-b4 ====
// monarch stage 1 (X·R per block): M=37 K=100 b=4 p=25
@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> R: array<f32>;
@group(0) @binding(2) var<storage, read_write> H: array<f32>;
const M: u32 = 37u;
const K: u32 = 100u;
const N: u32 = 53u;
const B: u32 = 4u;
const P: u32 = 25u;
const TOTAL: u32 = 592u;
const GX: u32 = 10u;
const THREADS: u32 = 64u;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let idx = (wid.y * GX + wid.x) * THREADS + lid;
  if (idx >= TOTAL) { return; }
  let row = idx / (B * B);
  let i = (idx / B) % B;
  let l = idx % B;
  let k0 = i * P;
  let k1 = min(k0 + P, K);
  var acc = 0.0;
  for (var k = k0; k < k1; k++) {
    acc += f32(X[row * K + k]) * f32(R[k * B + l]);
  }
  H[idx] = f32(acc);
}
// ==== monarch-l-f32-37x100x53-b4 ====
// monarch stage 2 (·L per block, permutations in the indices): M=37 N=53 b=4
@group(0) @binding(0) var<storage, read> H: array<f32>;
@group(0) @binding(1) var<storage, read> L: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;
const M: u32 = 37u;
const K: u32 = 100u;
const N: u32 = 53u;
const B: u32 = 4u;
const P: u32 = 25u;
const TOTAL: u32 = 1961u;
const GX: u32 = 31u;
const THREADS: u32 = 64u;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let idx = (wid.y * GX + wid.x) * THREADS + lid;
  if (idx >= TOTAL) { return; }
  let row = idx / N;
  let n = idx % N;
  let l = n % B;
  let h0 = row * B * B + l;
  var acc = 0.0;
  for (var i = 0u; i < B; i++) {
    acc += f32(H[h0 + i * B]) * f32(L[i * N + n]);
  }
  Y[idx] = f32(acc);
}
