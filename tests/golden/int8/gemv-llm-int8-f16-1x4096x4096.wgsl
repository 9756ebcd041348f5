// ==== int8-gemv-f16-1x4096x4096 ====
enable f16;
// int8 W8A8 GEMV, one pass: f16, 1x4096x4096, 16 columns x 32 slices, 8 vec4<u32> words a thread, 1 rows of codes staged, dot unpacked, outlier dimensions in f32, X read once
@group(0) @binding(0) var<storage, read> X: array<vec4<f16>>;
@group(0) @binding(1) var<storage, read> IS: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> WQ: array<vec4<u32>>;
@group(0) @binding(3) var<storage, read> SW: array<f32>;
@group(0) @binding(4) var<storage, read> OI: array<u32>;
@group(0) @binding(5) var<storage, read> WO: array<f16>;
@group(0) @binding(6) var<storage, read_write> Y: array<f16>;
const M = 1u;
const K = 4096u;
const K4 = 1024u;
const N = 4096u;
const KW = 256u; // vec4<u32> words a column
const S = 32u;
var<workgroup> red: array<f32, 512>;
var<workgroup> sxw: array<f32, 1>;
var<workgroup> xq: array<vec4<u32>, 256>;

fn dot4(a: u32, b: u32) -> i32 {
  let x = bitcast<i32>(a);
  let y = bitcast<i32>(b);
  return extractBits(x, 0u, 8u) * extractBits(y, 0u, 8u)
    + extractBits(x, 8u, 8u) * extractBits(y, 8u, 8u)
    + extractBits(x, 16u, 8u) * extractBits(y, 16u, 8u)
    + extractBits(x, 24u, 8u) * extractBits(y, 24u, 8u);
}

fn xs4(r: u32, w: u32) -> vec4<f32> {
  return vec4<f32>(X[r * K4 + w]) * IS[w];
}

fn codesOf(x: vec4<f32>, sx: f32) -> u32 {
  if (sx <= 0.0) { return 0u; }
  let v = clamp(x / sx, vec4<f32>(-127.0), vec4<f32>(127.0)) + vec4<f32>(12582912.0);
  let q = bitcast<vec4<u32>>(v) & vec4<u32>(0xffu);
  return q.x | (q.y << 8u) | (q.z << 16u) | (q.w << 24u);
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
  let ar = lid / 512u;
  let ai = lid % 512u;
  var amax = 0.0;
  let e0 = lid + 0u;
  var x0_0 = vec4<f32>();
  var x0_1 = vec4<f32>();
  var x0_2 = vec4<f32>();
  var x0_3 = vec4<f32>();
  if (e0 < KW) {
    x0_0 = xs4(0u, 4u * e0 + 0u);
    x0_1 = xs4(0u, 4u * e0 + 1u);
    x0_2 = xs4(0u, 4u * e0 + 2u);
    x0_3 = xs4(0u, 4u * e0 + 3u);
  }
  { let v = max(max(abs(x0_0), abs(x0_1)), max(abs(x0_2), abs(x0_3)));
    amax = max(amax, max(max(v.x, v.y), max(v.z, v.w))); }
  if (lid < 512u) { red[lid] = amax; }
  workgroupBarrier();
  if (ar < M && ai < 64u) {
    let v = max(max(max(max(max(max(max(red[ar * 512u + ai], red[ar * 512u + ai + 64u]), red[ar * 512u + ai + 128u]), red[ar * 512u + ai + 192u]), red[ar * 512u + ai + 256u]), red[ar * 512u + ai + 320u]), red[ar * 512u + ai + 384u]), red[ar * 512u + ai + 448u]);
    red[lid] = v;
  }
  workgroupBarrier();
  if (ar < M && ai < 8u) {
    let v = max(max(max(max(max(max(max(red[ar * 512u + ai], red[ar * 512u + ai + 8u]), red[ar * 512u + ai + 16u]), red[ar * 512u + ai + 24u]), red[ar * 512u + ai + 32u]), red[ar * 512u + ai + 40u]), red[ar * 512u + ai + 48u]), red[ar * 512u + ai + 56u]);
    red[lid] = v;
  }
  workgroupBarrier();
  if (ar < M && ai < 1u) {
    let v = max(max(max(max(max(max(max(red[ar * 512u + ai], red[ar * 512u + ai + 1u]), red[ar * 512u + ai + 2u]), red[ar * 512u + ai + 3u]), red[ar * 512u + ai + 4u]), red[ar * 512u + ai + 5u]), red[ar * 512u + ai + 6u]), red[ar * 512u + ai + 7u]);
    sxw[ar] = v / 127.0;
  }
  workgroupBarrier();
  var acc0 = 0;
  if (e0 < KW) { xq[e0] = vec4<u32>(codesOf(x0_0, sxw[0]), codesOf(x0_1, sxw[0]), codesOf(x0_2, sxw[0]), codesOf(x0_3, sxw[0])); }
  workgroupBarrier();
  { let x = xq[0u * KW + min(s + 0u, KW - 1u)]; acc0 += dot4(x.x, w0.x) + dot4(x.y, w0.y) + dot4(x.z, w0.z) + dot4(x.w, w0.w); }
  { let x = xq[0u * KW + min(s + 32u, KW - 1u)]; acc0 += dot4(x.x, w1.x) + dot4(x.y, w1.y) + dot4(x.z, w1.z) + dot4(x.w, w1.w); }
  { let x = xq[0u * KW + min(s + 64u, KW - 1u)]; acc0 += dot4(x.x, w2.x) + dot4(x.y, w2.y) + dot4(x.z, w2.z) + dot4(x.w, w2.w); }
  { let x = xq[0u * KW + min(s + 96u, KW - 1u)]; acc0 += dot4(x.x, w3.x) + dot4(x.y, w3.y) + dot4(x.z, w3.z) + dot4(x.w, w3.w); }
  { let x = xq[0u * KW + min(s + 128u, KW - 1u)]; acc0 += dot4(x.x, w4.x) + dot4(x.y, w4.y) + dot4(x.z, w4.z) + dot4(x.w, w4.w); }
  { let x = xq[0u * KW + min(s + 160u, KW - 1u)]; acc0 += dot4(x.x, w5.x) + dot4(x.y, w5.y) + dot4(x.z, w5.z) + dot4(x.w, w5.w); }
  { let x = xq[0u * KW + min(s + 192u, KW - 1u)]; acc0 += dot4(x.x, w6.x) + dot4(x.y, w6.y) + dot4(x.z, w6.z) + dot4(x.w, w6.w); }
  { let x = xq[0u * KW + min(s + 224u, KW - 1u)]; acc0 += dot4(x.x, w7.x) + dot4(x.y, w7.y) + dot4(x.z, w7.z) + dot4(x.w, w7.w); }
  var sw = 0.0;
  if (live) { sw = SW[col]; }
  var p0 = f32(acc0) * (sxw[0u] * sw);
  if (live) {
    let count = OI[0];
    for (var oo = s; oo < count; oo += S) {
      let j = OI[1u + oo];
      let wv = f32(WO[oo * N + col]);
      p0 = fma(f32(X[0u * K4 + j / 4u][j % 4u]), wv, p0);
    }
  }
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
