// ==== ternary-dp4a-f16-1x4096x14336 ====
enable f16;
// ternary dp4a GEMV (W1.58A8) f16 M=1 K=4096 N=14336 cols=8 cpt=4 slices=64 words/thread=4 dot=packed quantX=inline
@group(0) @binding(0) var<storage, read> X: array<vec4<f16>>;
@group(0) @binding(1) var<storage, read> Q: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read> S: array<vec4<f16>>;
@group(0) @binding(3) var<storage, read_write> Y: array<vec4<f16>>;
const NQ = 3584u;
const WORDS = 256u;
const RPT = 4u;
var<workgroup> red: array<vec4<f32>, 512>;
const K = 4096u;
const K4 = 1024u;
var<workgroup> xq: array<vec4<u32>, 256>;
var<workgroup> rmax: array<f32, 512>;
var<workgroup> rsum: array<i32, 512>;

fn xs4(r: u32, w: u32) -> vec4<f32> {
  return vec4<f32>(X[r * K4 + w]);
}

fn codesOf(x: vec4<f32>, sx: f32) -> u32 {
  if (sx <= 0.0) { return 0u; }
  let v = clamp(x / sx, vec4<f32>(-127.0), vec4<f32>(127.0)) + vec4<f32>(12582912.0);
  let q = bitcast<vec4<u32>>(v) & vec4<u32>(0xffu);
  return q.x | (q.y << 8u) | (q.z << 16u) | (q.w << 24u);
}

fn bytesSum(c: u32) -> i32 {
  let v = bitcast<i32>(c);
  return extractBits(v, 0u, 8u) + extractBits(v, 8u, 8u) + extractBits(v, 16u, 8u) + extractBits(v, 24u, 8u);
}

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
  var am0 = 0.0;
  for (var w = lid; w < K4; w += 512u) {
    let v = abs(xs4(row0 + 0u, w));
    am0 = max(am0, max(max(v.x, v.y), max(v.z, v.w)));
  }
  rmax[lid] = am0;
  workgroupBarrier();
  if (lid < 64u) { rmax[lid] = max(max(max(max(max(max(max(rmax[lid], rmax[lid + 64u]), rmax[lid + 128u]), rmax[lid + 192u]), rmax[lid + 256u]), rmax[lid + 320u]), rmax[lid + 384u]), rmax[lid + 448u]); }
  workgroupBarrier();
  if (lid < 8u) { rmax[lid] = max(max(max(max(max(max(max(rmax[lid], rmax[lid + 8u]), rmax[lid + 16u]), rmax[lid + 24u]), rmax[lid + 32u]), rmax[lid + 40u]), rmax[lid + 48u]), rmax[lid + 56u]); }
  workgroupBarrier();
  if (lid < 1u) { rmax[lid] = max(max(max(max(max(max(max(rmax[lid], rmax[lid + 1u]), rmax[lid + 2u]), rmax[lid + 3u]), rmax[lid + 4u]), rmax[lid + 5u]), rmax[lid + 6u]), rmax[lid + 7u]); }
  workgroupBarrier();
  let sx0 = rmax[0] / 127.0;
  var cs0 = 0i;
  for (var v = lid; v < WORDS; v += 512u) {
    let cq = vec4<u32>(codesOf(xs4(row0 + 0u, 4u * v), sx0), codesOf(xs4(row0 + 0u, 4u * v + 1u), sx0), codesOf(xs4(row0 + 0u, 4u * v + 2u), sx0), codesOf(xs4(row0 + 0u, 4u * v + 3u), sx0));
    xq[0u + v] = cq;
    cs0 += bytesSum(cq.x) + bytesSum(cq.y) + bytesSum(cq.z) + bytesSum(cq.w);
  }
  rsum[lid] = cs0;
  workgroupBarrier();
  if (lid < 64u) { rsum[lid] = rsum[lid] + rsum[lid + 64u] + rsum[lid + 128u] + rsum[lid + 192u] + rsum[lid + 256u] + rsum[lid + 320u] + rsum[lid + 384u] + rsum[lid + 448u]; }
  workgroupBarrier();
  if (lid < 8u) { rsum[lid] = rsum[lid] + rsum[lid + 8u] + rsum[lid + 16u] + rsum[lid + 24u] + rsum[lid + 32u] + rsum[lid + 40u] + rsum[lid + 48u] + rsum[lid + 56u]; }
  workgroupBarrier();
  if (lid < 1u) { rsum[lid] = rsum[lid] + rsum[lid + 1u] + rsum[lid + 2u] + rsum[lid + 3u] + rsum[lid + 4u] + rsum[lid + 5u] + rsum[lid + 6u] + rsum[lid + 7u]; }
  workgroupBarrier();
  let sq0 = rsum[0];
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
      let x0 = xq[0u + w];
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
    Y[(row0 + 0u) * NQ + qc] = vec4<f16>((red[0u + c] + red[0u + c + 8u] + red[0u + c + 16u] + red[0u + c + 24u] + red[0u + c + 32u] + red[0u + c + 40u] + red[0u + c + 48u] + red[0u + c + 56u] - vec4<f32>(f32(sq0))) * (sc * sx0));
  }
}
