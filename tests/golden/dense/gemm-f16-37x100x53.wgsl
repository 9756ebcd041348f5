// ==== dense-gemm-f16-37x100x53 ====
enable f16;
// tilebench dense GEMM 37x100x53 batch=1 f16 tile=32x64x16 thread=4x4 vec=false splitK=1 f16io=packed
@group(0) @binding(0) var<storage, read> X: array<f16>;
@group(0) @binding(1) var<storage, read> W: array<f16>;
@group(0) @binding(2) var<storage, read_write> Y: array<f16>;
const M = 37u;
const K = 100u;
const N = 53u;
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
  let xOff = 0u;
  let wOff = 0u;
  let yOff = 0u;
  var acc_0_0 = vec4<f32>(0.0);
  var acc_1_0 = vec4<f32>(0.0);
  var acc_2_0 = vec4<f32>(0.0);
  var acc_3_0 = vec4<f32>(0.0);
  var la_0 = vec4<f32>(0.0);
  var lb_0 = vec4<f32>(0.0);
  var lb_1 = vec4<f32>(0.0);
  let numSlabs = 7u;
  {
    let k0 = kBase;
    {
      let e = lid + 0u;
      let gr = rowBase + e / 4u;
      let gk = k0 + (e % 4u) * 4u;
      la_0 = vec4<f32>(0.0);
      if (gr < M) {
        if (gk + 0u < K) { la_0[0] = f32(X[xOff + gr * K + gk + 0u]); }
        if (gk + 1u < K) { la_0[1] = f32(X[xOff + gr * K + gk + 1u]); }
        if (gk + 2u < K) { la_0[2] = f32(X[xOff + gr * K + gk + 2u]); }
        if (gk + 3u < K) { la_0[3] = f32(X[xOff + gr * K + gk + 3u]); }
      }
    }
    {
      let e = lid + 0u;
      let gk = k0 + e / 16u;
      let gc = colBase + (e % 16u) * 4u;
      lb_0 = vec4<f32>(0.0);
      if (gk < K) {
        if (gc + 0u < N) { lb_0[0] = f32(W[wOff + gk * N + gc + 0u]); }
        if (gc + 1u < N) { lb_0[1] = f32(W[wOff + gk * N + gc + 1u]); }
        if (gc + 2u < N) { lb_0[2] = f32(W[wOff + gk * N + gc + 2u]); }
        if (gc + 3u < N) { lb_0[3] = f32(W[wOff + gk * N + gc + 3u]); }
      }
    }
    {
      let e = lid + 128u;
      let gk = k0 + e / 16u;
      let gc = colBase + (e % 16u) * 4u;
      lb_1 = vec4<f32>(0.0);
      if (gk < K) {
        if (gc + 0u < N) { lb_1[0] = f32(W[wOff + gk * N + gc + 0u]); }
        if (gc + 1u < N) { lb_1[1] = f32(W[wOff + gk * N + gc + 1u]); }
        if (gc + 2u < N) { lb_1[2] = f32(W[wOff + gk * N + gc + 2u]); }
        if (gc + 3u < N) { lb_1[3] = f32(W[wOff + gk * N + gc + 3u]); }
      }
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
        if (gr < M) {
          if (gk + 0u < K) { la_0[0] = f32(X[xOff + gr * K + gk + 0u]); }
          if (gk + 1u < K) { la_0[1] = f32(X[xOff + gr * K + gk + 1u]); }
          if (gk + 2u < K) { la_0[2] = f32(X[xOff + gr * K + gk + 2u]); }
          if (gk + 3u < K) { la_0[3] = f32(X[xOff + gr * K + gk + 3u]); }
        }
      }
      {
        let e = lid + 0u;
        let gk = k0 + e / 16u;
        let gc = colBase + (e % 16u) * 4u;
        lb_0 = vec4<f32>(0.0);
        if (gk < K) {
          if (gc + 0u < N) { lb_0[0] = f32(W[wOff + gk * N + gc + 0u]); }
          if (gc + 1u < N) { lb_0[1] = f32(W[wOff + gk * N + gc + 1u]); }
          if (gc + 2u < N) { lb_0[2] = f32(W[wOff + gk * N + gc + 2u]); }
          if (gc + 3u < N) { lb_0[3] = f32(W[wOff + gk * N + gc + 3u]); }
        }
      }
      {
        let e = lid + 128u;
        let gk = k0 + e / 16u;
        let gc = colBase + (e % 16u) * 4u;
        lb_1 = vec4<f32>(0.0);
        if (gk < K) {
          if (gc + 0u < N) { lb_1[0] = f32(W[wOff + gk * N + gc + 0u]); }
          if (gc + 1u < N) { lb_1[1] = f32(W[wOff + gk * N + gc + 1u]); }
          if (gc + 2u < N) { lb_1[2] = f32(W[wOff + gk * N + gc + 2u]); }
          if (gc + 3u < N) { lb_1[3] = f32(W[wOff + gk * N + gc + 3u]); }
        }
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
        if (gc + 0u < N) { Y[yOff + gr * N + gc + 0u] = f16(acc_0_0[0]); }
        if (gc + 1u < N) { Y[yOff + gr * N + gc + 1u] = f16(acc_0_0[1]); }
        if (gc + 2u < N) { Y[yOff + gr * N + gc + 2u] = f16(acc_0_0[2]); }
        if (gc + 3u < N) { Y[yOff + gr * N + gc + 3u] = f16(acc_0_0[3]); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 1u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc + 0u < N) { Y[yOff + gr * N + gc + 0u] = f16(acc_1_0[0]); }
        if (gc + 1u < N) { Y[yOff + gr * N + gc + 1u] = f16(acc_1_0[1]); }
        if (gc + 2u < N) { Y[yOff + gr * N + gc + 2u] = f16(acc_1_0[2]); }
        if (gc + 3u < N) { Y[yOff + gr * N + gc + 3u] = f16(acc_1_0[3]); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 2u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc + 0u < N) { Y[yOff + gr * N + gc + 0u] = f16(acc_2_0[0]); }
        if (gc + 1u < N) { Y[yOff + gr * N + gc + 1u] = f16(acc_2_0[1]); }
        if (gc + 2u < N) { Y[yOff + gr * N + gc + 2u] = f16(acc_2_0[2]); }
        if (gc + 3u < N) { Y[yOff + gr * N + gc + 3u] = f16(acc_2_0[3]); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 3u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc + 0u < N) { Y[yOff + gr * N + gc + 0u] = f16(acc_3_0[0]); }
        if (gc + 1u < N) { Y[yOff + gr * N + gc + 1u] = f16(acc_3_0[1]); }
        if (gc + 2u < N) { Y[yOff + gr * N + gc + 2u] = f16(acc_3_0[2]); }
        if (gc + 3u < N) { Y[yOff + gr * N + gc + 3u] = f16(acc_3_0[3]); }
      }
    }
  }
}
