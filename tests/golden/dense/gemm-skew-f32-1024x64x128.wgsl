// ==== dense-gemm-f32-1024x64x128 ====
// tilebench dense GEMM 1024x64x128 batch=1 f32 tile=128x64x16 thread=8x4 vec=true splitK=1 f16io=packed xskew
@group(0) @binding(0) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> W: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> Y: array<vec4<f32>>;
const M = 1024u;
const K = 64u;
const N = 128u;
var<workgroup> As: array<vec4<f32>, 518>;
var<workgroup> Bs: array<vec4<f32>, 256>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let tx = lid % 16u;
  let ty = lid / 16u;
  let rowBase = wid.y * 128u;
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
  var acc_4_0 = vec4<f32>(0.0);
  var acc_5_0 = vec4<f32>(0.0);
  var acc_6_0 = vec4<f32>(0.0);
  var acc_7_0 = vec4<f32>(0.0);
  var la_0 = vec4<f32>(0.0);
  var la_1 = vec4<f32>(0.0);
  var lb_0 = vec4<f32>(0.0);
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
      let e = lid + 256u;
      let gr = rowBase + e / 4u;
      let gk = k0 + (e % 4u) * 4u;
      la_1 = vec4<f32>(0.0);
      if (gr < M && gk < K) { la_1 = vec4<f32>(X[xOff + gr * 16u + gk / 4u]); }
    }
    {
      let e = lid + 0u;
      let gk = k0 + e / 16u;
      let gc = colBase + (e % 16u) * 4u;
      lb_0 = vec4<f32>(0.0);
      if (gk < K && gc < N) { lb_0 = vec4<f32>(W[wOff + gk * 32u + gc / 4u]); }
    }
  }
  {
    let e = lid + 0u;
    let row = e / 4u;
    let kq = e % 4u;
    let slot = kq * 130u + row / 4u;
    let lane = row % 4u;
    As[slot + 0u][lane] = la_0[0];
    As[slot + 32u][lane] = la_0[1];
    As[slot + 64u][lane] = la_0[2];
    As[slot + 96u][lane] = la_0[3];
  }
  {
    let e = lid + 256u;
    let row = e / 4u;
    let kq = e % 4u;
    let slot = kq * 130u + row / 4u;
    let lane = row % 4u;
    As[slot + 0u][lane] = la_1[0];
    As[slot + 32u][lane] = la_1[1];
    As[slot + 64u][lane] = la_1[2];
    As[slot + 96u][lane] = la_1[3];
  }
  { Bs[lid + 0u] = lb_0; }
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
        let e = lid + 256u;
        let gr = rowBase + e / 4u;
        let gk = k0 + (e % 4u) * 4u;
        la_1 = vec4<f32>(0.0);
        if (gr < M && gk < K) { la_1 = vec4<f32>(X[xOff + gr * 16u + gk / 4u]); }
      }
      {
        let e = lid + 0u;
        let gk = k0 + e / 16u;
        let gc = colBase + (e % 16u) * 4u;
        lb_0 = vec4<f32>(0.0);
        if (gk < K && gc < N) { lb_0 = vec4<f32>(W[wOff + gk * 32u + gc / 4u]); }
      }
    }
    {
      let a0 = As[0u + ty + 0u];
      let a1 = As[0u + ty + 16u];
      let b0 = Bs[0u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
      acc_4_0 = fma(vec4<f32>(a1[0]), b0, acc_4_0);
      acc_5_0 = fma(vec4<f32>(a1[1]), b0, acc_5_0);
      acc_6_0 = fma(vec4<f32>(a1[2]), b0, acc_6_0);
      acc_7_0 = fma(vec4<f32>(a1[3]), b0, acc_7_0);
    }
    {
      let a0 = As[32u + ty + 0u];
      let a1 = As[32u + ty + 16u];
      let b0 = Bs[16u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
      acc_4_0 = fma(vec4<f32>(a1[0]), b0, acc_4_0);
      acc_5_0 = fma(vec4<f32>(a1[1]), b0, acc_5_0);
      acc_6_0 = fma(vec4<f32>(a1[2]), b0, acc_6_0);
      acc_7_0 = fma(vec4<f32>(a1[3]), b0, acc_7_0);
    }
    {
      let a0 = As[64u + ty + 0u];
      let a1 = As[64u + ty + 16u];
      let b0 = Bs[32u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
      acc_4_0 = fma(vec4<f32>(a1[0]), b0, acc_4_0);
      acc_5_0 = fma(vec4<f32>(a1[1]), b0, acc_5_0);
      acc_6_0 = fma(vec4<f32>(a1[2]), b0, acc_6_0);
      acc_7_0 = fma(vec4<f32>(a1[3]), b0, acc_7_0);
    }
    {
      let a0 = As[96u + ty + 0u];
      let a1 = As[96u + ty + 16u];
      let b0 = Bs[48u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
      acc_4_0 = fma(vec4<f32>(a1[0]), b0, acc_4_0);
      acc_5_0 = fma(vec4<f32>(a1[1]), b0, acc_5_0);
      acc_6_0 = fma(vec4<f32>(a1[2]), b0, acc_6_0);
      acc_7_0 = fma(vec4<f32>(a1[3]), b0, acc_7_0);
    }
    {
      let a0 = As[130u + ty + 0u];
      let a1 = As[130u + ty + 16u];
      let b0 = Bs[64u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
      acc_4_0 = fma(vec4<f32>(a1[0]), b0, acc_4_0);
      acc_5_0 = fma(vec4<f32>(a1[1]), b0, acc_5_0);
      acc_6_0 = fma(vec4<f32>(a1[2]), b0, acc_6_0);
      acc_7_0 = fma(vec4<f32>(a1[3]), b0, acc_7_0);
    }
    {
      let a0 = As[162u + ty + 0u];
      let a1 = As[162u + ty + 16u];
      let b0 = Bs[80u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
      acc_4_0 = fma(vec4<f32>(a1[0]), b0, acc_4_0);
      acc_5_0 = fma(vec4<f32>(a1[1]), b0, acc_5_0);
      acc_6_0 = fma(vec4<f32>(a1[2]), b0, acc_6_0);
      acc_7_0 = fma(vec4<f32>(a1[3]), b0, acc_7_0);
    }
    {
      let a0 = As[194u + ty + 0u];
      let a1 = As[194u + ty + 16u];
      let b0 = Bs[96u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
      acc_4_0 = fma(vec4<f32>(a1[0]), b0, acc_4_0);
      acc_5_0 = fma(vec4<f32>(a1[1]), b0, acc_5_0);
      acc_6_0 = fma(vec4<f32>(a1[2]), b0, acc_6_0);
      acc_7_0 = fma(vec4<f32>(a1[3]), b0, acc_7_0);
    }
    {
      let a0 = As[226u + ty + 0u];
      let a1 = As[226u + ty + 16u];
      let b0 = Bs[112u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
      acc_4_0 = fma(vec4<f32>(a1[0]), b0, acc_4_0);
      acc_5_0 = fma(vec4<f32>(a1[1]), b0, acc_5_0);
      acc_6_0 = fma(vec4<f32>(a1[2]), b0, acc_6_0);
      acc_7_0 = fma(vec4<f32>(a1[3]), b0, acc_7_0);
    }
    {
      let a0 = As[260u + ty + 0u];
      let a1 = As[260u + ty + 16u];
      let b0 = Bs[128u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
      acc_4_0 = fma(vec4<f32>(a1[0]), b0, acc_4_0);
      acc_5_0 = fma(vec4<f32>(a1[1]), b0, acc_5_0);
      acc_6_0 = fma(vec4<f32>(a1[2]), b0, acc_6_0);
      acc_7_0 = fma(vec4<f32>(a1[3]), b0, acc_7_0);
    }
    {
      let a0 = As[292u + ty + 0u];
      let a1 = As[292u + ty + 16u];
      let b0 = Bs[144u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
      acc_4_0 = fma(vec4<f32>(a1[0]), b0, acc_4_0);
      acc_5_0 = fma(vec4<f32>(a1[1]), b0, acc_5_0);
      acc_6_0 = fma(vec4<f32>(a1[2]), b0, acc_6_0);
      acc_7_0 = fma(vec4<f32>(a1[3]), b0, acc_7_0);
    }
    {
      let a0 = As[324u + ty + 0u];
      let a1 = As[324u + ty + 16u];
      let b0 = Bs[160u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
      acc_4_0 = fma(vec4<f32>(a1[0]), b0, acc_4_0);
      acc_5_0 = fma(vec4<f32>(a1[1]), b0, acc_5_0);
      acc_6_0 = fma(vec4<f32>(a1[2]), b0, acc_6_0);
      acc_7_0 = fma(vec4<f32>(a1[3]), b0, acc_7_0);
    }
    {
      let a0 = As[356u + ty + 0u];
      let a1 = As[356u + ty + 16u];
      let b0 = Bs[176u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
      acc_4_0 = fma(vec4<f32>(a1[0]), b0, acc_4_0);
      acc_5_0 = fma(vec4<f32>(a1[1]), b0, acc_5_0);
      acc_6_0 = fma(vec4<f32>(a1[2]), b0, acc_6_0);
      acc_7_0 = fma(vec4<f32>(a1[3]), b0, acc_7_0);
    }
    {
      let a0 = As[390u + ty + 0u];
      let a1 = As[390u + ty + 16u];
      let b0 = Bs[192u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
      acc_4_0 = fma(vec4<f32>(a1[0]), b0, acc_4_0);
      acc_5_0 = fma(vec4<f32>(a1[1]), b0, acc_5_0);
      acc_6_0 = fma(vec4<f32>(a1[2]), b0, acc_6_0);
      acc_7_0 = fma(vec4<f32>(a1[3]), b0, acc_7_0);
    }
    {
      let a0 = As[422u + ty + 0u];
      let a1 = As[422u + ty + 16u];
      let b0 = Bs[208u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
      acc_4_0 = fma(vec4<f32>(a1[0]), b0, acc_4_0);
      acc_5_0 = fma(vec4<f32>(a1[1]), b0, acc_5_0);
      acc_6_0 = fma(vec4<f32>(a1[2]), b0, acc_6_0);
      acc_7_0 = fma(vec4<f32>(a1[3]), b0, acc_7_0);
    }
    {
      let a0 = As[454u + ty + 0u];
      let a1 = As[454u + ty + 16u];
      let b0 = Bs[224u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
      acc_4_0 = fma(vec4<f32>(a1[0]), b0, acc_4_0);
      acc_5_0 = fma(vec4<f32>(a1[1]), b0, acc_5_0);
      acc_6_0 = fma(vec4<f32>(a1[2]), b0, acc_6_0);
      acc_7_0 = fma(vec4<f32>(a1[3]), b0, acc_7_0);
    }
    {
      let a0 = As[486u + ty + 0u];
      let a1 = As[486u + ty + 16u];
      let b0 = Bs[240u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
      acc_4_0 = fma(vec4<f32>(a1[0]), b0, acc_4_0);
      acc_5_0 = fma(vec4<f32>(a1[1]), b0, acc_5_0);
      acc_6_0 = fma(vec4<f32>(a1[2]), b0, acc_6_0);
      acc_7_0 = fma(vec4<f32>(a1[3]), b0, acc_7_0);
    }
    workgroupBarrier();
    if (more) {
      {
        let e = lid + 0u;
        let row = e / 4u;
        let kq = e % 4u;
        let slot = kq * 130u + row / 4u;
        let lane = row % 4u;
        As[slot + 0u][lane] = la_0[0];
        As[slot + 32u][lane] = la_0[1];
        As[slot + 64u][lane] = la_0[2];
        As[slot + 96u][lane] = la_0[3];
      }
      {
        let e = lid + 256u;
        let row = e / 4u;
        let kq = e % 4u;
        let slot = kq * 130u + row / 4u;
        let lane = row % 4u;
        As[slot + 0u][lane] = la_1[0];
        As[slot + 32u][lane] = la_1[1];
        As[slot + 64u][lane] = la_1[2];
        As[slot + 96u][lane] = la_1[3];
      }
      { Bs[lid + 0u] = lb_0; }
    }
    workgroupBarrier();
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 0u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 32u + gc / 4u] = vec4<f32>(acc_0_0); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 1u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 32u + gc / 4u] = vec4<f32>(acc_1_0); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 2u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 32u + gc / 4u] = vec4<f32>(acc_2_0); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 3u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 32u + gc / 4u] = vec4<f32>(acc_3_0); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 16u) * 4u + 0u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 32u + gc / 4u] = vec4<f32>(acc_4_0); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 16u) * 4u + 1u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 32u + gc / 4u] = vec4<f32>(acc_5_0); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 16u) * 4u + 2u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 32u + gc / 4u] = vec4<f32>(acc_6_0); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 16u) * 4u + 3u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 32u + gc / 4u] = vec4<f32>(acc_7_0); }
      }
    }
  }
}
