// ==== ternary-lut2-f32-1x4096x14336 ====
// ternary lut g=2 f32 M=1 K=4096 N=14336 group=128 cols=32 slices=16
@group(0) @binding(0) var<storage, read> X: array<f32>;
@group(0) @binding(1) var<storage, read> Q: array<u32>;
@group(0) @binding(2) var<storage, read> S: array<f32>;
@group(0) @binding(3) var<storage, read_write> Y: array<f32>;
const K = 4096u;
const N = 14336u;
const WORDS = 256u;
var<workgroup> red: array<f32, 512>;
fn pick(code: u32, x: f32) -> f32 {
  return select(select(0.0, x, code == 1u), -x, code == 2u);
}
var<workgroup> lut: array<f32, 2048>;
@compute @workgroup_size(512)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = lid % 32u;
  let s = lid / 32u;
  let col = wid.x * 32u + c;
  let live = col < N;
  let row0 = wid.y * 1u;
  var acc0 = 0.0;
  for (var w0 = 0u; w0 < WORDS; w0 += 16u) {
    workgroupBarrier();
    for (var e = lid; e < 2048u; e += 512u) {
      let r = e / 2048u;
      let xb = min(row0 + r, 0u) * K;
      let grp = (e % 2048u) / 16u;
      let idx = e % 16u;
      let kb = w0 * 16u + grp * 2u;
      var v = 0.0;
      v = v + pick((idx >> 0u) & 3u, f32(X[xb + kb + 0u]));
      v = v + pick((idx >> 2u) & 3u, f32(X[xb + kb + 1u]));
      lut[e] = v;
    }
    workgroupBarrier();
    if (live) {
      let blocks = min(2u, (WORDS - w0) / 8u);
      for (var b = s; b < blocks; b += 16u) {
        var t0 = 0.0;
        for (var wl = b * 8u; wl < b * 8u + 8u; wl++) {
          let q = Q[(w0 + wl) * N + col];
          let base = wl * 128u;
          let i0 = base + 0u + ((q >> 0u) & 15u);
          t0 = t0 + lut[0u + i0];
          let i1 = base + 16u + ((q >> 4u) & 15u);
          t0 = t0 + lut[0u + i1];
          let i2 = base + 32u + ((q >> 8u) & 15u);
          t0 = t0 + lut[0u + i2];
          let i3 = base + 48u + ((q >> 12u) & 15u);
          t0 = t0 + lut[0u + i3];
          let i4 = base + 64u + ((q >> 16u) & 15u);
          t0 = t0 + lut[0u + i4];
          let i5 = base + 80u + ((q >> 20u) & 15u);
          t0 = t0 + lut[0u + i5];
          let i6 = base + 96u + ((q >> 24u) & 15u);
          t0 = t0 + lut[0u + i6];
          let i7 = base + 112u + ((q >> 28u) & 15u);
          t0 = t0 + lut[0u + i7];
        }
        let sc = f32(S[(w0 / 8u + b) * N + col]);
        acc0 = acc0 + sc * t0;
      }
    }
  }
  red[0u + lid] = acc0;
  workgroupBarrier();
  if (s == 0u && live) {
    let v0 = red[0u + c] + red[32u + c] + red[64u + c] + red[96u + c] + red[128u + c] + red[160u + c] + red[192u + c] + red[224u + c] + red[256u + c] + red[288u + c] + red[320u + c] + red[352u + c] + red[384u + c] + red[416u + c] + red[448u + c] + red[480u + c];
    if (row0 + 0u < 1u) { Y[(row0 + 0u) * N + col] = f32(v0); }
  }
}
