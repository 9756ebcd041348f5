// ==== ternary-fma-f16-1x4096x4096 ====
enable f16;
// ternary fma GEMV f16 M=1 K=4096 N=4096 group=channel cols=4 cpt=4 slices=128 words/thread=2 math=f16x2
@group(0) @binding(0) var<storage, read> X: array<vec4<f16>>;
@group(0) @binding(1) var<storage, read> Q: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read> S: array<vec4<f16>>;
@group(0) @binding(3) var<storage, read_write> Y: array<vec4<f16>>;
const K = 4096u;
const K4 = 1024u;
const NQ = 1024u;
const WORDS = 256u;
const RPT = 2u;
var<workgroup> red: array<vec4<f32>, 512>;
var<workgroup> fexp: array<u32, 5>;

@compute @workgroup_size(512)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = lid % 4u;
  let s = lid / 4u;
  let qc = wid.x * 4u + c;
  let live = qc < NQ;
  let row0 = min(wid.y * 1u, 0u);
  let Z = vec4<f32>(0.0);
  if (lid == 0u) { fexp = array<u32, 5>(0x64006400u, 0x5c005c00u, 0x54005400u, 0x4c004c00u, 0x44004400u); }
  workgroupBarrier();
  let fexp0 = fexp[0];
  let fexp1 = fexp[1];
  let fexp2 = fexp[2];
  let fexp3 = fexp[3];
  let fexp4 = fexp[4];
  var acc0 = Z;
  let wBegin = s * RPT;
  let wEnd = min(wBegin + RPT, WORDS);
  if (live && wBegin < wEnd) {
    var w = wBegin;
    var qn = Q[w * NQ + qc];
    loop {
      let q = qn;
      if (w + 1u < wEnd) { qn = Q[(w + 1u) * NQ + qc]; }
      let qh = q >> vec4<u32>(10u);
      let xh0_0 = X[(row0 + 0u) * K4 + min(w * 4u + 0u, K4 - 1u)];
      let xh0_1 = X[(row0 + 0u) * K4 + min(w * 4u + 1u, K4 - 1u)];
      let xh0_2 = X[(row0 + 0u) * K4 + min(w * 4u + 2u, K4 - 1u)];
      let xh0_3 = X[(row0 + 0u) * K4 + min(w * 4u + 3u, K4 - 1u)];
      var h0_0 = vec2<f16>();
      var h0_1 = vec2<f16>();
      var h0_2 = vec2<f16>();
      var h0_3 = vec2<f16>();
      let d0_0 = vec2<f16>(unpack2x16float((q.x & 0x00030003u) | fexp0)) - vec2<f16>(1025.0h);
      let d0_1 = vec2<f16>(unpack2x16float((q.y & 0x00030003u) | fexp0)) - vec2<f16>(1025.0h);
      let d0_2 = vec2<f16>(unpack2x16float((q.z & 0x00030003u) | fexp0)) - vec2<f16>(1025.0h);
      let d0_3 = vec2<f16>(unpack2x16float((q.w & 0x00030003u) | fexp0)) - vec2<f16>(1025.0h);
      let xp0_0 = xh0_0.xy;
      h0_0 = fma(d0_0, xp0_0, h0_0);
      h0_1 = fma(d0_1, xp0_0, h0_1);
      h0_2 = fma(d0_2, xp0_0, h0_2);
      h0_3 = fma(d0_3, xp0_0, h0_3);
      let d1_0 = vec2<f16>(unpack2x16float((q.x & 0x000c000cu) | fexp1)) - vec2<f16>(257.0h);
      let d1_1 = vec2<f16>(unpack2x16float((q.y & 0x000c000cu) | fexp1)) - vec2<f16>(257.0h);
      let d1_2 = vec2<f16>(unpack2x16float((q.z & 0x000c000cu) | fexp1)) - vec2<f16>(257.0h);
      let d1_3 = vec2<f16>(unpack2x16float((q.w & 0x000c000cu) | fexp1)) - vec2<f16>(257.0h);
      let xp0_1 = xh0_0.zw;
      h0_0 = fma(d1_0, xp0_1, h0_0);
      h0_1 = fma(d1_1, xp0_1, h0_1);
      h0_2 = fma(d1_2, xp0_1, h0_2);
      h0_3 = fma(d1_3, xp0_1, h0_3);
      let d2_0 = vec2<f16>(unpack2x16float((q.x & 0x00300030u) | fexp2)) - vec2<f16>(65.0h);
      let d2_1 = vec2<f16>(unpack2x16float((q.y & 0x00300030u) | fexp2)) - vec2<f16>(65.0h);
      let d2_2 = vec2<f16>(unpack2x16float((q.z & 0x00300030u) | fexp2)) - vec2<f16>(65.0h);
      let d2_3 = vec2<f16>(unpack2x16float((q.w & 0x00300030u) | fexp2)) - vec2<f16>(65.0h);
      let xp0_2 = xh0_1.xy;
      h0_0 = fma(d2_0, xp0_2, h0_0);
      h0_1 = fma(d2_1, xp0_2, h0_1);
      h0_2 = fma(d2_2, xp0_2, h0_2);
      h0_3 = fma(d2_3, xp0_2, h0_3);
      let d3_0 = vec2<f16>(unpack2x16float((q.x & 0x00c000c0u) | fexp3)) - vec2<f16>(17.0h);
      let d3_1 = vec2<f16>(unpack2x16float((q.y & 0x00c000c0u) | fexp3)) - vec2<f16>(17.0h);
      let d3_2 = vec2<f16>(unpack2x16float((q.z & 0x00c000c0u) | fexp3)) - vec2<f16>(17.0h);
      let d3_3 = vec2<f16>(unpack2x16float((q.w & 0x00c000c0u) | fexp3)) - vec2<f16>(17.0h);
      let xp0_3 = xh0_1.zw;
      h0_0 = fma(d3_0, xp0_3, h0_0);
      h0_1 = fma(d3_1, xp0_3, h0_1);
      h0_2 = fma(d3_2, xp0_3, h0_2);
      h0_3 = fma(d3_3, xp0_3, h0_3);
      let d4_0 = vec2<f16>(unpack2x16float((q.x & 0x03000300u) | fexp4)) - vec2<f16>(5.0h);
      let d4_1 = vec2<f16>(unpack2x16float((q.y & 0x03000300u) | fexp4)) - vec2<f16>(5.0h);
      let d4_2 = vec2<f16>(unpack2x16float((q.z & 0x03000300u) | fexp4)) - vec2<f16>(5.0h);
      let d4_3 = vec2<f16>(unpack2x16float((q.w & 0x03000300u) | fexp4)) - vec2<f16>(5.0h);
      let xp0_4 = xh0_2.xy;
      h0_0 = fma(d4_0, xp0_4, h0_0);
      h0_1 = fma(d4_1, xp0_4, h0_1);
      h0_2 = fma(d4_2, xp0_4, h0_2);
      h0_3 = fma(d4_3, xp0_4, h0_3);
      let d5_0 = vec2<f16>(unpack2x16float((qh.x & 0x00030003u) | fexp0)) - vec2<f16>(1025.0h);
      let d5_1 = vec2<f16>(unpack2x16float((qh.y & 0x00030003u) | fexp0)) - vec2<f16>(1025.0h);
      let d5_2 = vec2<f16>(unpack2x16float((qh.z & 0x00030003u) | fexp0)) - vec2<f16>(1025.0h);
      let d5_3 = vec2<f16>(unpack2x16float((qh.w & 0x00030003u) | fexp0)) - vec2<f16>(1025.0h);
      let xp0_5 = xh0_2.zw;
      h0_0 = fma(d5_0, xp0_5, h0_0);
      h0_1 = fma(d5_1, xp0_5, h0_1);
      h0_2 = fma(d5_2, xp0_5, h0_2);
      h0_3 = fma(d5_3, xp0_5, h0_3);
      let d6_0 = vec2<f16>(unpack2x16float((qh.x & 0x000c000cu) | fexp1)) - vec2<f16>(257.0h);
      let d6_1 = vec2<f16>(unpack2x16float((qh.y & 0x000c000cu) | fexp1)) - vec2<f16>(257.0h);
      let d6_2 = vec2<f16>(unpack2x16float((qh.z & 0x000c000cu) | fexp1)) - vec2<f16>(257.0h);
      let d6_3 = vec2<f16>(unpack2x16float((qh.w & 0x000c000cu) | fexp1)) - vec2<f16>(257.0h);
      let xp0_6 = xh0_3.xy;
      h0_0 = fma(d6_0, xp0_6, h0_0);
      h0_1 = fma(d6_1, xp0_6, h0_1);
      h0_2 = fma(d6_2, xp0_6, h0_2);
      h0_3 = fma(d6_3, xp0_6, h0_3);
      let d7_0 = vec2<f16>(unpack2x16float((qh.x & 0x00300030u) | fexp2)) - vec2<f16>(65.0h);
      let d7_1 = vec2<f16>(unpack2x16float((qh.y & 0x00300030u) | fexp2)) - vec2<f16>(65.0h);
      let d7_2 = vec2<f16>(unpack2x16float((qh.z & 0x00300030u) | fexp2)) - vec2<f16>(65.0h);
      let d7_3 = vec2<f16>(unpack2x16float((qh.w & 0x00300030u) | fexp2)) - vec2<f16>(65.0h);
      let xp0_7 = xh0_3.zw;
      h0_0 = fma(d7_0, xp0_7, h0_0);
      h0_1 = fma(d7_1, xp0_7, h0_1);
      h0_2 = fma(d7_2, xp0_7, h0_2);
      h0_3 = fma(d7_3, xp0_7, h0_3);
      acc0 += vec4<f32>(dot(vec2<f32>(h0_0), vec2<f32>(1.0)), dot(vec2<f32>(h0_1), vec2<f32>(1.0)), dot(vec2<f32>(h0_2), vec2<f32>(1.0)), dot(vec2<f32>(h0_3), vec2<f32>(1.0)));
      w += 1u;
      if (w >= wEnd) { break; }
    }
  }
  red[0u + lid] = acc0;
  workgroupBarrier();
  if (s < 16u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 64u] + red[0u + lid + 128u] + red[0u + lid + 192u] + red[0u + lid + 256u] + red[0u + lid + 320u] + red[0u + lid + 384u] + red[0u + lid + 448u];
  }
  workgroupBarrier();
  if (s < 2u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 8u] + red[0u + lid + 16u] + red[0u + lid + 24u] + red[0u + lid + 32u] + red[0u + lid + 40u] + red[0u + lid + 48u] + red[0u + lid + 56u];
  }
  workgroupBarrier();
  if (s == 0u && live) {
    let sc = vec4<f32>(S[qc]);
    Y[(row0 + 0u) * NQ + qc] = vec4<f16>((red[0u + c] + red[0u + c + 4u]) * sc);
  }
}
