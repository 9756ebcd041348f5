// ==== ternary-addsub-f16-1x4096x4096 ====
enable f16;
// ternary addsub f16 M=1 K=4096 N=4096 group=channel cols=32 slices=16
@group(0) @binding(0) var<storage, read> X: array<f16>;
@group(0) @binding(1) var<storage, read> Q: array<u32>;
@group(0) @binding(2) var<storage, read> S: array<f16>;
@group(0) @binding(3) var<storage, read_write> Y: array<f16>;
const K = 4096u;
const N = 4096u;
const WORDS = 256u;
var<workgroup> red: array<f32, 512>;
fn pick(code: u32, x: f32) -> f32 {
  return select(select(0.0, x, code == 1u), -x, code == 2u);
}
var<workgroup> xs: array<vec4<f32>, 512>;
@compute @workgroup_size(512)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = lid % 32u;
  let s = lid / 32u;
  let col = wid.x * 32u + c;
  let live = col < N;
  let row0 = wid.y * 1u;
  var acc0 = 0.0;
  for (var w0 = 0u; w0 < WORDS; w0 += 128u) {
    workgroupBarrier();
    for (var e = lid; e < 512u; e += 512u) {
      let r = e / 512u;
      let xb = min(row0 + r, 0u) * K;
      let kb = w0 * 16u + (e % 512u) * 4u;
      xs[e] = vec4<f32>(f32(X[xb + kb + 0u]), f32(X[xb + kb + 1u]), f32(X[xb + kb + 2u]), f32(X[xb + kb + 3u]));
    }
    workgroupBarrier();
    if (live) {
      let blocks = min(128u, (WORDS - w0) / 1u);
      for (var b = s; b < blocks; b += 16u) {
        for (var wl = b * 1u; wl < b * 1u + 1u; wl++) {
          let q = Q[(w0 + wl) * N + col];
          let x0_0 = xs[0u + wl * 4u];
          let c0 = (q >> 0u) & 3u;
          acc0 = acc0 + pick(c0, x0_0[0]);
          let c1 = (q >> 2u) & 3u;
          acc0 = acc0 + pick(c1, x0_0[1]);
          let c2 = (q >> 4u) & 3u;
          acc0 = acc0 + pick(c2, x0_0[2]);
          let c3 = (q >> 6u) & 3u;
          acc0 = acc0 + pick(c3, x0_0[3]);
          let x0_1 = xs[1u + wl * 4u];
          let c4 = (q >> 8u) & 3u;
          acc0 = acc0 + pick(c4, x0_1[0]);
          let c5 = (q >> 10u) & 3u;
          acc0 = acc0 + pick(c5, x0_1[1]);
          let c6 = (q >> 12u) & 3u;
          acc0 = acc0 + pick(c6, x0_1[2]);
          let c7 = (q >> 14u) & 3u;
          acc0 = acc0 + pick(c7, x0_1[3]);
          let x0_2 = xs[2u + wl * 4u];
          let c8 = (q >> 16u) & 3u;
          acc0 = acc0 + pick(c8, x0_2[0]);
          let c9 = (q >> 18u) & 3u;
          acc0 = acc0 + pick(c9, x0_2[1]);
          let c10 = (q >> 20u) & 3u;
          acc0 = acc0 + pick(c10, x0_2[2]);
          let c11 = (q >> 22u) & 3u;
          acc0 = acc0 + pick(c11, x0_2[3]);
          let x0_3 = xs[3u + wl * 4u];
          let c12 = (q >> 24u) & 3u;
          acc0 = acc0 + pick(c12, x0_3[0]);
          let c13 = (q >> 26u) & 3u;
          acc0 = acc0 + pick(c13, x0_3[1]);
          let c14 = (q >> 28u) & 3u;
          acc0 = acc0 + pick(c14, x0_3[2]);
          let c15 = (q >> 30u) & 3u;
          acc0 = acc0 + pick(c15, x0_3[3]);
        }
      }
    }
  }
  red[0u + lid] = acc0;
  workgroupBarrier();
  if (s == 0u && live) {
    let sc = f32(S[col]);
    let v0 = red[0u + c] + red[32u + c] + red[64u + c] + red[96u + c] + red[128u + c] + red[160u + c] + red[192u + c] + red[224u + c] + red[256u + c] + red[288u + c] + red[320u + c] + red[352u + c] + red[384u + c] + red[416u + c] + red[448u + c] + red[480u + c];
    if (row0 + 0u < 1u) { Y[(row0 + 0u) * N + col] = f16(v0 * sc); }
  }
}
