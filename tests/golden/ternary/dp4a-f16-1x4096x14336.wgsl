// ==== ternary-quant-f16-1x4096 ====
enable f16;
// int8 activation quantisation: f16, K = 4096, 256 threads a row, 4 words of four a thread held
@group(0) @binding(0) var<storage, read> X: array<vec4<f16>>;
@group(0) @binding(1) var<storage, read_write> XQ: array<u32>;
@group(0) @binding(2) var<storage, read_write> SX: array<f32>;
@group(0) @binding(3) var<storage, read_write> SQ: array<i32>;
const K = 4096u;
const K4 = 1024u;
var<workgroup> red: array<f32, 256>;
var<workgroup> redi: array<i32, 256>;

fn bytesSum(c: u32) -> i32 {
  let v = bitcast<i32>(c);
  return extractBits(v, 0u, 8u) + extractBits(v, 8u, 8u) + extractBits(v, 16u, 8u) + extractBits(v, 24u, 8u);
}

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
  var cs = 0i;
  if (w0 < K4) { let c = codesOf(x0, sx); XQ[r * K4 + w0] = c; cs += bytesSum(c); }
  if (w1 < K4) { let c = codesOf(x1, sx); XQ[r * K4 + w1] = c; cs += bytesSum(c); }
  if (w2 < K4) { let c = codesOf(x2, sx); XQ[r * K4 + w2] = c; cs += bytesSum(c); }
  if (w3 < K4) { let c = codesOf(x3, sx); XQ[r * K4 + w3] = c; cs += bytesSum(c); }
  redi[lid] = cs;
  workgroupBarrier();
  if (lid < 32u) { redi[lid] = redi[lid] + redi[lid + 32u] + redi[lid + 64u] + redi[lid + 96u] + redi[lid + 128u] + redi[lid + 160u] + redi[lid + 192u] + redi[lid + 224u]; }
  workgroupBarrier();
  if (lid < 4u) { redi[lid] = redi[lid] + redi[lid + 4u] + redi[lid + 8u] + redi[lid + 12u] + redi[lid + 16u] + redi[lid + 20u] + redi[lid + 24u] + redi[lid + 28u]; }
  workgroupBarrier();
  if (lid < 1u) { redi[lid] = redi[lid] + redi[lid + 1u] + redi[lid + 2u] + redi[lid + 3u]; }
  workgroupBarrier();
  if (lid == 0u) { SQ[r] = redi[0]; }
}
// ==== ternary-dp4a-f16-1x4096x14336 ====
enable f16;
// ternary dp4a GEMV (W1.58A8) f16 M=1 K=4096 N=14336 cols=8 cpt=4 slices=64 words/thread=4 dot=packed
@group(0) @binding(0) var<storage, read> XQ: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read> SX: array<f32>;
@group(0) @binding(2) var<storage, read> SQ: array<i32>;
@group(0) @binding(3) var<storage, read> Q: array<vec4<u32>>;
@group(0) @binding(4) var<storage, read> S: array<vec4<f16>>;
@group(0) @binding(5) var<storage, read_write> Y: array<vec4<f16>>;
const NQ = 3584u;
const WORDS = 256u;
const RPT = 4u;
var<workgroup> red: array<vec4<f32>, 512>;

fn dot4(a: u32, b: u32) -> i32 {
  return dot4I8Packed(a, b);
}

@compute @workgroup_size(512)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = lid % 8u;
  let s = lid / 8u;
  let qc = wid.x * 8u + c;
  let live = qc < NQ;
  let row0 = min(wid.y * 1u, 0u);
  let wBegin = s * RPT;
  let wEnd = min(wBegin + RPT, WORDS);
  let walks = live && wBegin < wEnd;
  var qn = vec4<u32>();
  if (walks) { qn = Q[wBegin * NQ + qc]; }
  var a0_0 = 0i;
  var a0_1 = 0i;
  var a0_2 = 0i;
  var a0_3 = 0i;
  if (walks) {
    var w = wBegin;
    loop {
      let q = qn;
      if (w + 1u < wEnd) { qn = Q[(w + 1u) * NQ + qc]; }
      let m3 = vec4<u32>(0x03030303u);
      let f0 = q & m3;
      let f1 = (q >> vec4<u32>(2u)) & m3;
      let f2 = (q >> vec4<u32>(4u)) & m3;
      let f3 = (q >> vec4<u32>(6u)) & m3;
      let x0 = XQ[(row0 + 0u) * WORDS + w];
      a0_0 += dot4(f0.x, x0.x) + dot4(f1.x, x0.y) + dot4(f2.x, x0.z) + dot4(f3.x, x0.w);
      a0_1 += dot4(f0.y, x0.x) + dot4(f1.y, x0.y) + dot4(f2.y, x0.z) + dot4(f3.y, x0.w);
      a0_2 += dot4(f0.z, x0.x) + dot4(f1.z, x0.y) + dot4(f2.z, x0.z) + dot4(f3.z, x0.w);
      a0_3 += dot4(f0.w, x0.x) + dot4(f1.w, x0.y) + dot4(f2.w, x0.z) + dot4(f3.w, x0.w);
      w += 1u;
      if (w >= wEnd) { break; }
    }
  }
  let acc0 = vec4<f32>(f32(a0_0), f32(a0_1), f32(a0_2), f32(a0_3));
  red[0u + lid] = acc0;
  workgroupBarrier();
  if (s < 8u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 64u] + red[0u + lid + 128u] + red[0u + lid + 192u] + red[0u + lid + 256u] + red[0u + lid + 320u] + red[0u + lid + 384u] + red[0u + lid + 448u];
  }
  workgroupBarrier();
  if (s == 0u && live) {
    let sc = vec4<f32>(S[qc]);
    Y[(row0 + 0u) * NQ + qc] = vec4<f16>((red[0u + c] + red[0u + c + 8u] + red[0u + c + 16u] + red[0u + c + 24u] + red[0u + c + 32u] + red[0u + c + 40u] + red[0u + c + 48u] + red[0u + c + 56u] - vec4<f32>(f32(SQ[row0 + 0u]))) * (sc * SX[row0 + 0u]));
  }
}
