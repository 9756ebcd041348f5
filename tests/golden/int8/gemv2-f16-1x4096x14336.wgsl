// ==== int8-quant-f16-1x4096 ====
enable f16;
// int8 activation quantisation: f16, K = 4096, 256 threads a row, 4 words of four a thread held
@group(0) @binding(0) var<storage, read> X: array<vec4<f16>>;
@group(0) @binding(1) var<storage, read_write> XQ: array<u32>;
@group(0) @binding(2) var<storage, read_write> SX: array<f32>;
const K = 4096u;
const K4 = 1024u;
var<workgroup> red: array<f32, 256>;

fn xs4(r: u32, w: u32) -> vec4<f32> {
  return vec4<f32>(X[r * K4 + w]);
}

fn codesOf(x: vec4<f32>, sx: f32) -> u32 {
  if (sx <= 0.0) { return 0u; }
  let v = clamp(x / sx, vec4<f32>(-127.0), vec4<f32>(127.0)) + vec4<f32>(12582912.0);
  let q = bitcast<vec4<u32>>(v) & vec4<u32>(0xffu);
  return q.x | (q.y << 8u) | (q.z << 16u) | (q.w << 24u);
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = wid.x;
  var amax = 0.0;
  let w0 = lid + 0u;
  var x0 = vec4<f32>(0.0);
  if (w0 < K4) { x0 = xs4(r, w0); }
  let w1 = lid + 256u;
  var x1 = vec4<f32>(0.0);
  if (w1 < K4) { x1 = xs4(r, w1); }
  let w2 = lid + 512u;
  var x2 = vec4<f32>(0.0);
  if (w2 < K4) { x2 = xs4(r, w2); }
  let w3 = lid + 768u;
  var x3 = vec4<f32>(0.0);
  if (w3 < K4) { x3 = xs4(r, w3); }
  { let v = abs(x0); amax = max(amax, max(max(v.x, v.y), max(v.z, v.w))); }
  { let v = abs(x1); amax = max(amax, max(max(v.x, v.y), max(v.z, v.w))); }
  { let v = abs(x2); amax = max(amax, max(max(v.x, v.y), max(v.z, v.w))); }
  { let v = abs(x3); amax = max(amax, max(max(v.x, v.y), max(v.z, v.w))); }
  red[lid] = amax;
  workgroupBarrier();
  if (lid < 32u) { red[lid] = max(max(max(max(max(max(max(red[lid], red[lid + 32u]), red[lid + 64u]), red[lid + 96u]), red[lid + 128u]), red[lid + 160u]), red[lid + 192u]), red[lid + 224u]); }
  workgroupBarrier();
  if (lid < 4u) { red[lid] = max(max(max(max(max(max(max(red[lid], red[lid + 4u]), red[lid + 8u]), red[lid + 12u]), red[lid + 16u]), red[lid + 20u]), red[lid + 24u]), red[lid + 28u]); }
  workgroupBarrier();
  if (lid < 1u) { red[lid] = max(max(max(red[lid], red[lid + 1u]), red[lid + 2u]), red[lid + 3u]); }
  workgroupBarrier();
  let sx = red[0] / 127.0;
  if (lid == 0u) { SX[r] = sx; }
  if (w0 < K4) { XQ[r * K4 + w0] = codesOf(x0, sx); }
  if (w1 < K4) { XQ[r * K4 + w1] = codesOf(x1, sx); }
  if (w2 < K4) { XQ[r * K4 + w2] = codesOf(x2, sx); }
  if (w3 < K4) { XQ[r * K4 + w3] = codesOf(x3, sx); }
}
// ==== int8-gemv2-f16-1x4096x14336 ====
enable f16;
// int8 W8A8 GEMV, codes from the activation pass: f16, 1x4096x14336, 16 columns x 32 slices, 8 vec4<u32> words a thread, dot packed, X unscaled
@group(0) @binding(0) var<storage, read> XQ: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read> SX: array<f32>;
@group(0) @binding(2) var<storage, read> WQ: array<vec4<u32>>;
@group(0) @binding(3) var<storage, read> SW: array<f32>;
@group(0) @binding(4) var<storage, read_write> Y: array<f16>;
const M = 1u;
const K = 4096u;
const K4 = 1024u;
const N = 14336u;
const KW = 256u; // vec4<u32> words a column
const S = 32u;
var<workgroup> red: array<f32, 512>;

fn dot4(a: u32, b: u32) -> i32 {
  return dot4I8Packed(a, b);
}

@compute @workgroup_size(512)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = lid % 16u;
  let s = lid / 16u;
  let col = wid.x * 16u + c;
  let live = col < N;
  var w0 = vec4<u32>();
  if (live && s + 0u < KW) { w0 = WQ[col * KW + s + 0u]; }
  var w1 = vec4<u32>();
  if (live && s + 32u < KW) { w1 = WQ[col * KW + s + 32u]; }
  var w2 = vec4<u32>();
  if (live && s + 64u < KW) { w2 = WQ[col * KW + s + 64u]; }
  var w3 = vec4<u32>();
  if (live && s + 96u < KW) { w3 = WQ[col * KW + s + 96u]; }
  var w4 = vec4<u32>();
  if (live && s + 128u < KW) { w4 = WQ[col * KW + s + 128u]; }
  var w5 = vec4<u32>();
  if (live && s + 160u < KW) { w5 = WQ[col * KW + s + 160u]; }
  var w6 = vec4<u32>();
  if (live && s + 192u < KW) { w6 = WQ[col * KW + s + 192u]; }
  var w7 = vec4<u32>();
  if (live && s + 224u < KW) { w7 = WQ[col * KW + s + 224u]; }
  var acc0 = 0;
  { let x = XQ[0u * KW + min(s + 0u, KW - 1u)]; acc0 += dot4(x.x, w0.x) + dot4(x.y, w0.y) + dot4(x.z, w0.z) + dot4(x.w, w0.w); }
  { let x = XQ[0u * KW + min(s + 32u, KW - 1u)]; acc0 += dot4(x.x, w1.x) + dot4(x.y, w1.y) + dot4(x.z, w1.z) + dot4(x.w, w1.w); }
  { let x = XQ[0u * KW + min(s + 64u, KW - 1u)]; acc0 += dot4(x.x, w2.x) + dot4(x.y, w2.y) + dot4(x.z, w2.z) + dot4(x.w, w2.w); }
  { let x = XQ[0u * KW + min(s + 96u, KW - 1u)]; acc0 += dot4(x.x, w3.x) + dot4(x.y, w3.y) + dot4(x.z, w3.z) + dot4(x.w, w3.w); }
  { let x = XQ[0u * KW + min(s + 128u, KW - 1u)]; acc0 += dot4(x.x, w4.x) + dot4(x.y, w4.y) + dot4(x.z, w4.z) + dot4(x.w, w4.w); }
  { let x = XQ[0u * KW + min(s + 160u, KW - 1u)]; acc0 += dot4(x.x, w5.x) + dot4(x.y, w5.y) + dot4(x.z, w5.z) + dot4(x.w, w5.w); }
  { let x = XQ[0u * KW + min(s + 192u, KW - 1u)]; acc0 += dot4(x.x, w6.x) + dot4(x.y, w6.y) + dot4(x.z, w6.z) + dot4(x.w, w6.w); }
  { let x = XQ[0u * KW + min(s + 224u, KW - 1u)]; acc0 += dot4(x.x, w7.x) + dot4(x.y, w7.y) + dot4(x.z, w7.z) + dot4(x.w, w7.w); }
  var sw = 0.0;
  if (live) { sw = SW[col]; }
  var p0 = f32(acc0) * (SX[0u] * sw);
  red[0u + lid] = p0;
  workgroupBarrier();
  if (s < 4u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 64u] + red[0u + lid + 128u] + red[0u + lid + 192u] + red[0u + lid + 256u] + red[0u + lid + 320u] + red[0u + lid + 384u] + red[0u + lid + 448u];
  }
  workgroupBarrier();
  if (s == 0u && live) {
    Y[0u * N + col] = f16(red[0u + c] + red[0u + c + 16u] + red[0u + c + 32u] + red[0u + c + 48u]);
  }
}
