// ==== stl-encode-f32-64x128-t2r7 ====
// tilebench stl encode X 64x128 t=2 r=7 f32 vec=true
@group(0) @binding(0) var<storage, read> X: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read_write> Xh: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let kt = wid.x * 64u + lid;
  let i = wid.y;
  if (kt >= 64u || i >= 32u) { return; }
  let row0 = i * 2u + 0u;
  var v0 = vec2<f32>(0.0);
  if (row0 < 64u) { v0 = vec2<f32>(X[row0 * 64u + kt]); }
  let row1 = i * 2u + 1u;
  var v1 = vec2<f32>(0.0);
  if (row1 < 64u) { v1 = vec2<f32>(X[row1 * 64u + kt]); }
  let base = i * 64u + kt;
  Xh[base + 0u] = f32(v0.x + v1.y);
  Xh[base + 2048u] = f32(v1.x + v1.y);
  Xh[base + 4096u] = f32(v0.x);
  Xh[base + 6144u] = f32(v1.y);
  Xh[base + 8192u] = f32(v0.x + v0.y);
  Xh[base + 10240u] = f32(v1.x - v0.x);
  Xh[base + 12288u] = f32(v0.y - v1.y);
}
// ==== stl-gemm-f32-32x64x48b7 ====
// tilebench dense GEMM 32x64x48 batch=7 f32 tile=32x64x16 thread=4x4 vec=true splitK=1 f16io=packed
@group(0) @binding(0) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> W: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> Y: array<vec4<f32>>;
const M = 32u;
const K = 64u;
const N = 48u;
var<workgroup> As: array<vec4<f32>, 128>;
var<workgroup> Bs: array<vec4<f32>, 256>;

@compute @workgroup_size(128)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let tx = lid % 16u;
  let ty = lid / 16u;
  let rowBase = wid.y * 32u;
  let colBase = wid.x * 64u;
  let b = wid.z;
  let kBase = 0u;
  let xOff = b * 512u;
  let wOff = b * 768u;
  let yOff = wid.z * 384u;
  var acc_0_0 = vec4<f32>(0.0);
  var acc_1_0 = vec4<f32>(0.0);
  var acc_2_0 = vec4<f32>(0.0);
  var acc_3_0 = vec4<f32>(0.0);
  var la_0 = vec4<f32>(0.0);
  var lb_0 = vec4<f32>(0.0);
  var lb_1 = vec4<f32>(0.0);
  let numSlabs = 4u;
  {
    let k0 = kBase;
    {
      let e = lid + 0u;
      let gr = rowBase + e / 4u;
      let gk = k0 + (e % 4u) * 4u;
      la_0 = vec4<f32>(0.0);
      if (gr < M && gk < K) { la_0 = vec4<f32>(X[xOff + gr * 16u + gk / 4u]); }
    }
    {
      let e = lid + 0u;
      let gk = k0 + e / 16u;
      let gc = colBase + (e % 16u) * 4u;
      lb_0 = vec4<f32>(0.0);
      if (gk < K && gc < N) { lb_0 = vec4<f32>(W[wOff + gk * 12u + gc / 4u]); }
    }
    {
      let e = lid + 128u;
      let gk = k0 + e / 16u;
      let gc = colBase + (e % 16u) * 4u;
      lb_1 = vec4<f32>(0.0);
      if (gk < K && gc < N) { lb_1 = vec4<f32>(W[wOff + gk * 12u + gc / 4u]); }
    }
  }
  {
    let e = lid + 0u;
    let row = e / 4u;
    let kq = e % 4u;
    let slot = kq * 32u + row / 4u;
    let lane = row % 4u;
    As[slot + 0u][lane] = la_0[0];
    As[slot + 8u][lane] = la_0[1];
    As[slot + 16u][lane] = la_0[2];
    As[slot + 24u][lane] = la_0[3];
  }
  { Bs[lid + 0u] = lb_0; }
  { Bs[lid + 128u] = lb_1; }
  workgroupBarrier();
  for (var t = 0u; t < numSlabs; t++) {
    let k0 = kBase + (t + 1u) * 16u;
    let more = t + 1u < numSlabs;
    if (more) {
      {
        let e = lid + 0u;
        let gr = rowBase + e / 4u;
        let gk = k0 + (e % 4u) * 4u;
        la_0 = vec4<f32>(0.0);
        if (gr < M && gk < K) { la_0 = vec4<f32>(X[xOff + gr * 16u + gk / 4u]); }
      }
      {
        let e = lid + 0u;
        let gk = k0 + e / 16u;
        let gc = colBase + (e % 16u) * 4u;
        lb_0 = vec4<f32>(0.0);
        if (gk < K && gc < N) { lb_0 = vec4<f32>(W[wOff + gk * 12u + gc / 4u]); }
      }
      {
        let e = lid + 128u;
        let gk = k0 + e / 16u;
        let gc = colBase + (e % 16u) * 4u;
        lb_1 = vec4<f32>(0.0);
        if (gk < K && gc < N) { lb_1 = vec4<f32>(W[wOff + gk * 12u + gc / 4u]); }
      }
    }
    {
      let a0 = As[0u + ty + 0u];
      let b0 = Bs[0u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[8u + ty + 0u];
      let b0 = Bs[16u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[16u + ty + 0u];
      let b0 = Bs[32u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[24u + ty + 0u];
      let b0 = Bs[48u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[32u + ty + 0u];
      let b0 = Bs[64u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[40u + ty + 0u];
      let b0 = Bs[80u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[48u + ty + 0u];
      let b0 = Bs[96u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[56u + ty + 0u];
      let b0 = Bs[112u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[64u + ty + 0u];
      let b0 = Bs[128u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[72u + ty + 0u];
      let b0 = Bs[144u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[80u + ty + 0u];
      let b0 = Bs[160u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[88u + ty + 0u];
      let b0 = Bs[176u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[96u + ty + 0u];
      let b0 = Bs[192u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[104u + ty + 0u];
      let b0 = Bs[208u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[112u + ty + 0u];
      let b0 = Bs[224u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[120u + ty + 0u];
      let b0 = Bs[240u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    workgroupBarrier();
    if (more) {
      {
        let e = lid + 0u;
        let row = e / 4u;
        let kq = e % 4u;
        let slot = kq * 32u + row / 4u;
        let lane = row % 4u;
        As[slot + 0u][lane] = la_0[0];
        As[slot + 8u][lane] = la_0[1];
        As[slot + 16u][lane] = la_0[2];
        As[slot + 24u][lane] = la_0[3];
      }
      { Bs[lid + 0u] = lb_0; }
      { Bs[lid + 128u] = lb_1; }
    }
    workgroupBarrier();
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 0u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 12u + gc / 4u] = vec4<f32>(acc_0_0); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 1u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 12u + gc / 4u] = vec4<f32>(acc_1_0); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 2u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 12u + gc / 4u] = vec4<f32>(acc_2_0); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 3u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 12u + gc / 4u] = vec4<f32>(acc_3_0); }
      }
    }
  }
}
// ==== stl-decode-f32-64x96-t2r7 ====
// tilebench stl decode Y 64x96 t=2 r=7 f32 vec=true
@group(0) @binding(0) var<storage, read> P: array<f32>;
@group(0) @binding(1) var<storage, read_write> Y: array<vec2<f32>>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let jt = wid.x * 64u + lid;
  let i = wid.y;
  if (jt >= 48u || i >= 32u) { return; }
  let base = i * 48u + jt;
  let p0 = f32(P[base + 0u]);
  let p1 = f32(P[base + 1536u]);
  let p2 = f32(P[base + 3072u]);
  let p3 = f32(P[base + 4608u]);
  let p4 = f32(P[base + 6144u]);
  let p5 = f32(P[base + 7680u]);
  let p6 = f32(P[base + 9216u]);
  let y0_0 = p0 + p3 - p4 + p6;
  let y0_1 = p2 + p4;
  let row0 = i * 2u + 0u;
  if (row0 < 64u) { Y[row0 * 48u + jt] = vec2<f32>(vec2<f32>(y0_0, y0_1)); }
  let y1_0 = p1 + p3;
  let y1_1 = p0 - p1 + p2 + p5;
  let row1 = i * 2u + 1u;
  if (row1 < 64u) { Y[row1 * 48u + jt] = vec2<f32>(vec2<f32>(y1_0, y1_1)); }
}
