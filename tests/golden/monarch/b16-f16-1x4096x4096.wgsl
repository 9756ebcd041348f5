// ==== monarch-r-f16-1x4096x4096-b16 ====
enable f16;
// monarch stage 1 (X·R per block): M=1 K=4096 b=16 p=256, 16 K slices
@group(0) @binding(0) var<storage, read> X: array<f16>;
@group(0) @binding(1) var<storage, read> R: array<f16>;
@group(0) @binding(2) var<storage, read_write> H: array<f16>;
const M: u32 = 1u;
const K: u32 = 4096u;
const N: u32 = 4096u;
const B: u32 = 16u;
const P: u32 = 256u;
const TOTAL: u32 = 16u;
const GX: u32 = 16u;
const THREADS: u32 = 256u;
const S: u32 = 16u;
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
  if (slice < 8u) { part[lid] += part[lid + 128u]; }
  workgroupBarrier();
  if (slice < 4u) { part[lid] += part[lid + 64u]; }
  workgroupBarrier();
  if (slice < 2u) { part[lid] += part[lid + 32u]; }
  workgroupBarrier();
  if (slice < 1u) { part[lid] += part[lid + 16u]; }
  workgroupBarrier();
  if (slice == 0u) { H[g * B + l] = f16(part[lid]); }
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
const GX: u32 = 16u;
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
  Y[idx] = f16(acc);
}
