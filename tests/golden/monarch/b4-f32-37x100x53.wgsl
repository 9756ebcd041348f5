// ==== monarch-r-f32-37x100x53-b4 ====
// monarch stage 1 (X·R per block): M=37 K=100 b=4 p=25, 64 K slices
@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> R: array<f32>;
@group(0) @binding(2) var<storage, read_write> H: array<f32>;
const M: u32 = 37u;
const K: u32 = 100u;
const N: u32 = 53u;
const B: u32 = 4u;
const P: u32 = 25u;
const TOTAL: u32 = 148u;
const GX: u32 = 148u;
const THREADS: u32 = 256u;
const S: u32 = 64u;
var<workgroup> part: array<f32, 256>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let g = wid.y * GX + wid.x;
  if (g >= TOTAL) { return; }
  let row = g / B;
  let i = g % B;
  let l = lid % B;
  let slice = lid / B;
  let k1 = min(i * P + P, K);
  var acc = 0.0;
  for (var k = i * P + slice; k < k1; k += S) {
    acc += f32(X[row * K + k]) * f32(R[k * B + l]);
  }
  part[lid] = acc;
  workgroupBarrier();
  if (slice < 32u) { part[lid] += part[lid + 128u]; }
  workgroupBarrier();
  if (slice < 16u) { part[lid] += part[lid + 64u]; }
  workgroupBarrier();
  if (slice < 8u) { part[lid] += part[lid + 32u]; }
  workgroupBarrier();
  if (slice < 4u) { part[lid] += part[lid + 16u]; }
  workgroupBarrier();
  if (slice < 2u) { part[lid] += part[lid + 8u]; }
  workgroupBarrier();
  if (slice < 1u) { part[lid] += part[lid + 4u]; }
  workgroupBarrier();
  if (slice == 0u) { H[g * B + l] = f32(part[lid]); }
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
const GX: u32 = 8u;
const THREADS: u32 = 256u;
@compute @workgroup_size(256)
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
