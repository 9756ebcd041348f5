// ==== ternary-addsub-f16-1x4096x4096 ====
enable f16;
// ternary addsub f16 M=1 K=4096 N=4096 group=channel cols=64 slices=4
@group(0) @binding(0) var<storage, read> X: array<f16>;
@group(0) @binding(1) var<storage, read> Q: array<u32>;
@group(0) @binding(2) var<storage, read> S: array<f16>;
@group(0) @binding(3) var<storage, read_write> Y: array<f16>;
const K = 4096u;
const N = 4096u;
const WORDS = 256u;
var<workgroup> red: array<f32, 256>;
fn pick(code: u32, x: f32) -> f32 {
  return select(select(0.0, x, code == 1u), -x, code == 2u);
}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = lid % 64u;
  let s = lid / 64u;
  let col = wid.x * 64u + c;
  let live = col < N;
  let row0 = wid.y * 1u;
  let xb0 = min(row0 + 0u, 0u) * K;
  var acc0 = 0.0;
  if (live) {
    for (var b = s; b < 256u; b += 4u) {
      for (var w = b * 1u; w < b * 1u + 1u; w++) {
        let q = Q[w * N + col];
        let kb = w * 16u;
        let c0 = (q >> 0u) & 3u;
        acc0 = acc0 + pick(c0, f32(X[xb0 + kb + 0u]));
        let c1 = (q >> 2u) & 3u;
        acc0 = acc0 + pick(c1, f32(X[xb0 + kb + 1u]));
        let c2 = (q >> 4u) & 3u;
        acc0 = acc0 + pick(c2, f32(X[xb0 + kb + 2u]));
        let c3 = (q >> 6u) & 3u;
        acc0 = acc0 + pick(c3, f32(X[xb0 + kb + 3u]));
        let c4 = (q >> 8u) & 3u;
        acc0 = acc0 + pick(c4, f32(X[xb0 + kb + 4u]));
        let c5 = (q >> 10u) & 3u;
        acc0 = acc0 + pick(c5, f32(X[xb0 + kb + 5u]));
        let c6 = (q >> 12u) & 3u;
        acc0 = acc0 + pick(c6, f32(X[xb0 + kb + 6u]));
        let c7 = (q >> 14u) & 3u;
        acc0 = acc0 + pick(c7, f32(X[xb0 + kb + 7u]));
        let c8 = (q >> 16u) & 3u;
        acc0 = acc0 + pick(c8, f32(X[xb0 + kb + 8u]));
        let c9 = (q >> 18u) & 3u;
        acc0 = acc0 + pick(c9, f32(X[xb0 + kb + 9u]));
        let c10 = (q >> 20u) & 3u;
        acc0 = acc0 + pick(c10, f32(X[xb0 + kb + 10u]));
        let c11 = (q >> 22u) & 3u;
        acc0 = acc0 + pick(c11, f32(X[xb0 + kb + 11u]));
        let c12 = (q >> 24u) & 3u;
        acc0 = acc0 + pick(c12, f32(X[xb0 + kb + 12u]));
        let c13 = (q >> 26u) & 3u;
        acc0 = acc0 + pick(c13, f32(X[xb0 + kb + 13u]));
        let c14 = (q >> 28u) & 3u;
        acc0 = acc0 + pick(c14, f32(X[xb0 + kb + 14u]));
        let c15 = (q >> 30u) & 3u;
        acc0 = acc0 + pick(c15, f32(X[xb0 + kb + 15u]));
      }
    }
  }
  red[0u + lid] = acc0;
  workgroupBarrier();
  if (s == 0u && live) {
    let sc = f32(S[col]);
    let v0 = red[0u + c] + red[64u + c] + red[128u + c] + red[192u + c];
    if (row0 + 0u < 1u) { Y[(row0 + 0u) * N + col] = f16(v0 * sc); }
  }
}
