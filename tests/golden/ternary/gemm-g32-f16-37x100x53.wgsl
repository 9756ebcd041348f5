// ==== ternary-gemm-f16-37x100x53 ====
enable f16;
// ternary addsub GEMM f16 M=37 K=100 N=53 group=32 tile=64x64
@group(0) @binding(0) var<storage, read> X: array<f16>;
@group(0) @binding(1) var<storage, read> Q: array<u32>;
@group(0) @binding(2) var<storage, read> S: array<f16>;
@group(0) @binding(3) var<storage, read_write> Y: array<f16>;
const M = 37u;
const K = 100u;
const N = 53u;
const WORDS = 8u;
var<workgroup> As: array<vec4<f32>, 256>;
var<workgroup> Ws: array<u32, 64>;
fn pick4(code: u32, x: vec4<f32>) -> vec4<f32> {
  return select(select(vec4<f32>(0.0), x, code == 1u), -x, code == 2u);
}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let tx = lid % 16u;
  let ty = lid / 16u;
  let rowBase = wid.y * 64u;
  let colBase = wid.x * 64u;
  let lr = lid / 4u;
  let lk = (lid % 4u) * 4u;
  let xRow = rowBase + lr;
  var acc0 = vec4<f32>(0.0);
  var t0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var t1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var t2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  var t3 = vec4<f32>(0.0);
  for (var w = 0u; w < WORDS; w++) {
    workgroupBarrier();
    {
      let kk = w * 16u + lk + 0u;
      var v = 0.0;
      if (xRow < M && kk < K) { v = f32(X[xRow * K + kk]); }
      As[(lk + 0u) * 16u + lr / 4u][lr % 4u] = v;
    }
    {
      let kk = w * 16u + lk + 1u;
      var v = 0.0;
      if (xRow < M && kk < K) { v = f32(X[xRow * K + kk]); }
      As[(lk + 1u) * 16u + lr / 4u][lr % 4u] = v;
    }
    {
      let kk = w * 16u + lk + 2u;
      var v = 0.0;
      if (xRow < M && kk < K) { v = f32(X[xRow * K + kk]); }
      As[(lk + 2u) * 16u + lr / 4u][lr % 4u] = v;
    }
    {
      let kk = w * 16u + lk + 3u;
      var v = 0.0;
      if (xRow < M && kk < K) { v = f32(X[xRow * K + kk]); }
      As[(lk + 3u) * 16u + lr / 4u][lr % 4u] = v;
    }
    if (lid < 64u) {
      var q = 0u;
      if (colBase + lid < N) { q = Q[w * N + colBase + lid]; }
      Ws[lid] = q;
    }
    workgroupBarrier();
    let q0 = Ws[tx + 0u];
    let q1 = Ws[tx + 16u];
    let q2 = Ws[tx + 32u];
    let q3 = Ws[tx + 48u];
    let a0 = As[0u + ty];
    t0 = t0 + pick4((q0 >> 0u) & 3u, a0);
    t1 = t1 + pick4((q1 >> 0u) & 3u, a0);
    t2 = t2 + pick4((q2 >> 0u) & 3u, a0);
    t3 = t3 + pick4((q3 >> 0u) & 3u, a0);
    let a1 = As[16u + ty];
    t0 = t0 + pick4((q0 >> 2u) & 3u, a1);
    t1 = t1 + pick4((q1 >> 2u) & 3u, a1);
    t2 = t2 + pick4((q2 >> 2u) & 3u, a1);
    t3 = t3 + pick4((q3 >> 2u) & 3u, a1);
    let a2 = As[32u + ty];
    t0 = t0 + pick4((q0 >> 4u) & 3u, a2);
    t1 = t1 + pick4((q1 >> 4u) & 3u, a2);
    t2 = t2 + pick4((q2 >> 4u) & 3u, a2);
    t3 = t3 + pick4((q3 >> 4u) & 3u, a2);
    let a3 = As[48u + ty];
    t0 = t0 + pick4((q0 >> 6u) & 3u, a3);
    t1 = t1 + pick4((q1 >> 6u) & 3u, a3);
    t2 = t2 + pick4((q2 >> 6u) & 3u, a3);
    t3 = t3 + pick4((q3 >> 6u) & 3u, a3);
    let a4 = As[64u + ty];
    t0 = t0 + pick4((q0 >> 8u) & 3u, a4);
    t1 = t1 + pick4((q1 >> 8u) & 3u, a4);
    t2 = t2 + pick4((q2 >> 8u) & 3u, a4);
    t3 = t3 + pick4((q3 >> 8u) & 3u, a4);
    let a5 = As[80u + ty];
    t0 = t0 + pick4((q0 >> 10u) & 3u, a5);
    t1 = t1 + pick4((q1 >> 10u) & 3u, a5);
    t2 = t2 + pick4((q2 >> 10u) & 3u, a5);
    t3 = t3 + pick4((q3 >> 10u) & 3u, a5);
    let a6 = As[96u + ty];
    t0 = t0 + pick4((q0 >> 12u) & 3u, a6);
    t1 = t1 + pick4((q1 >> 12u) & 3u, a6);
    t2 = t2 + pick4((q2 >> 12u) & 3u, a6);
    t3 = t3 + pick4((q3 >> 12u) & 3u, a6);
    let a7 = As[112u + ty];
    t0 = t0 + pick4((q0 >> 14u) & 3u, a7);
    t1 = t1 + pick4((q1 >> 14u) & 3u, a7);
    t2 = t2 + pick4((q2 >> 14u) & 3u, a7);
    t3 = t3 + pick4((q3 >> 14u) & 3u, a7);
    let a8 = As[128u + ty];
    t0 = t0 + pick4((q0 >> 16u) & 3u, a8);
    t1 = t1 + pick4((q1 >> 16u) & 3u, a8);
    t2 = t2 + pick4((q2 >> 16u) & 3u, a8);
    t3 = t3 + pick4((q3 >> 16u) & 3u, a8);
    let a9 = As[144u + ty];
    t0 = t0 + pick4((q0 >> 18u) & 3u, a9);
    t1 = t1 + pick4((q1 >> 18u) & 3u, a9);
    t2 = t2 + pick4((q2 >> 18u) & 3u, a9);
    t3 = t3 + pick4((q3 >> 18u) & 3u, a9);
    let a10 = As[160u + ty];
    t0 = t0 + pick4((q0 >> 20u) & 3u, a10);
    t1 = t1 + pick4((q1 >> 20u) & 3u, a10);
    t2 = t2 + pick4((q2 >> 20u) & 3u, a10);
    t3 = t3 + pick4((q3 >> 20u) & 3u, a10);
    let a11 = As[176u + ty];
    t0 = t0 + pick4((q0 >> 22u) & 3u, a11);
    t1 = t1 + pick4((q1 >> 22u) & 3u, a11);
    t2 = t2 + pick4((q2 >> 22u) & 3u, a11);
    t3 = t3 + pick4((q3 >> 22u) & 3u, a11);
    let a12 = As[192u + ty];
    t0 = t0 + pick4((q0 >> 24u) & 3u, a12);
    t1 = t1 + pick4((q1 >> 24u) & 3u, a12);
    t2 = t2 + pick4((q2 >> 24u) & 3u, a12);
    t3 = t3 + pick4((q3 >> 24u) & 3u, a12);
    let a13 = As[208u + ty];
    t0 = t0 + pick4((q0 >> 26u) & 3u, a13);
    t1 = t1 + pick4((q1 >> 26u) & 3u, a13);
    t2 = t2 + pick4((q2 >> 26u) & 3u, a13);
    t3 = t3 + pick4((q3 >> 26u) & 3u, a13);
    let a14 = As[224u + ty];
    t0 = t0 + pick4((q0 >> 28u) & 3u, a14);
    t1 = t1 + pick4((q1 >> 28u) & 3u, a14);
    t2 = t2 + pick4((q2 >> 28u) & 3u, a14);
    t3 = t3 + pick4((q3 >> 28u) & 3u, a14);
    let a15 = As[240u + ty];
    t0 = t0 + pick4((q0 >> 30u) & 3u, a15);
    t1 = t1 + pick4((q1 >> 30u) & 3u, a15);
    t2 = t2 + pick4((q2 >> 30u) & 3u, a15);
    t3 = t3 + pick4((q3 >> 30u) & 3u, a15);
    if ((w + 1u) % 2u == 0u) {
      let g = w / 2u;
      let col0 = min(colBase + tx + 0u, N - 1u);
      acc0 = acc0 + f32(S[g * N + col0]) * t0;
      t0 = vec4<f32>(0.0);
      let col1 = min(colBase + tx + 16u, N - 1u);
      acc1 = acc1 + f32(S[g * N + col1]) * t1;
      t1 = vec4<f32>(0.0);
      let col2 = min(colBase + tx + 32u, N - 1u);
      acc2 = acc2 + f32(S[g * N + col2]) * t2;
      t2 = vec4<f32>(0.0);
      let col3 = min(colBase + tx + 48u, N - 1u);
      acc3 = acc3 + f32(S[g * N + col3]) * t3;
      t3 = vec4<f32>(0.0);
    }
  }
  let c0 = colBase + tx + 0u;
  if (c0 < N) {
    let y0 = acc0;
    if (rowBase + ty * 4u + 0u < M) { Y[(rowBase + ty * 4u + 0u) * N + c0] = f16(y0[0]); }
    if (rowBase + ty * 4u + 1u < M) { Y[(rowBase + ty * 4u + 1u) * N + c0] = f16(y0[1]); }
    if (rowBase + ty * 4u + 2u < M) { Y[(rowBase + ty * 4u + 2u) * N + c0] = f16(y0[2]); }
    if (rowBase + ty * 4u + 3u < M) { Y[(rowBase + ty * 4u + 3u) * N + c0] = f16(y0[3]); }
  }
  let c1 = colBase + tx + 16u;
  if (c1 < N) {
    let y1 = acc1;
    if (rowBase + ty * 4u + 0u < M) { Y[(rowBase + ty * 4u + 0u) * N + c1] = f16(y1[0]); }
    if (rowBase + ty * 4u + 1u < M) { Y[(rowBase + ty * 4u + 1u) * N + c1] = f16(y1[1]); }
    if (rowBase + ty * 4u + 2u < M) { Y[(rowBase + ty * 4u + 2u) * N + c1] = f16(y1[2]); }
    if (rowBase + ty * 4u + 3u < M) { Y[(rowBase + ty * 4u + 3u) * N + c1] = f16(y1[3]); }
  }
  let c2 = colBase + tx + 32u;
  if (c2 < N) {
    let y2 = acc2;
    if (rowBase + ty * 4u + 0u < M) { Y[(rowBase + ty * 4u + 0u) * N + c2] = f16(y2[0]); }
    if (rowBase + ty * 4u + 1u < M) { Y[(rowBase + ty * 4u + 1u) * N + c2] = f16(y2[1]); }
    if (rowBase + ty * 4u + 2u < M) { Y[(rowBase + ty * 4u + 2u) * N + c2] = f16(y2[2]); }
    if (rowBase + ty * 4u + 3u < M) { Y[(rowBase + ty * 4u + 3u) * N + c2] = f16(y2[3]); }
  }
  let c3 = colBase + tx + 48u;
  if (c3 < N) {
    let y3 = acc3;
    if (rowBase + ty * 4u + 0u < M) { Y[(rowBase + ty * 4u + 0u) * N + c3] = f16(y3[0]); }
    if (rowBase + ty * 4u + 1u < M) { Y[(rowBase + ty * 4u + 1u) * N + c3] = f16(y3[1]); }
    if (rowBase + ty * 4u + 2u < M) { Y[(rowBase + ty * 4u + 2u) * N + c3] = f16(y3[2]); }
    if (rowBase + ty * 4u + 3u < M) { Y[(rowBase + ty * 4u + 3u) * N + c3] = f16(y3[3]); }
  }
}
