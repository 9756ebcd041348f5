// ==== monarch-r-f16-1x4096x4096-b16 ====
enable f16;
// monarch stage 1 (X·R per block): M=1 K=4096 b=16 p=256
@group(0) @binding(0) var<storage, read> X: array<f16>;
@group(0) @binding(1) var<storage, read> R: array<f16>;
@group(0) @binding(2) var<storage, read_write> H: array<f16>;
const M: u32 = 1u;
const K: u32 = 4096u;
const N: u32 = 4096u;
const B: u32 = 16u;
const P: u32 = 256u;
const TOTAL: u32 = 256u;
const GX: u32 = 4u;
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
  H[idx] = f16(acc);
}
// ==== monarch-l-f16-1x4096x4096-b16 ====
enable f16;
// monarch stage 2 (·L per block, permutations in the indices): M=1 N=4096 b=16
@group(0) @binding(0) var<storage, read> H: array<f16>;
@group(0) @binding(1) var<storage, read> L: array<f16>;
@group(0) @binding(2) var<storage, read_write> Y: array<f16>;
const M: u32 = 1u;
const K: u32 = 4096u;
const N: u32 = 4096u;
const B: u32 = 16u;
const P: u32 = 256u;
const TOTAL: u32 = 4096u;
const GX: u32 = 64u;
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
  Y[idx] = f16(acc);
}
