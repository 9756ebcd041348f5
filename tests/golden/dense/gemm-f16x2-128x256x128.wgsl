// ==== dense-gemm-f16-128x256x128-f16x2 ====
enable f16;
// tilebench dense GEMM 128x256x128 batch=1 f16 tile=64x64x16 thread=4x4 vec=true splitK=1 f16io=packed math=f16x2 carry=8 stage=pairs
@group(0) @binding(0) var<storage, read> X: array<vec2<u32>>;
@group(0) @binding(1) var<storage, read> W: array<vec2<u32>>;
@group(0) @binding(2) var<storage, read_write> Y: array<vec2<u32>>;
const M = 128u;
const K = 256u;
const N = 128u;
fn unpackHalf4(p: vec2<u32>) -> vec4<f32> {
  return vec4<f32>(unpack2x16float(p.x), unpack2x16float(p.y));
}
fn packHalf4(v: vec4<f32>) -> vec2<u32> {
  return vec2<u32>(pack2x16float(v.xy), pack2x16float(v.zw));
}
var<workgroup> As: array<array<vec2<f16>, 4>, 256>;
var<workgroup> Bs: array<array<vec2<f16>, 2>, 256>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let tx = lid % 16u;
  let ty = lid / 16u;
  let rowBase = wid.y * 64u;
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
  var h_0_0 = vec2<f16>(0.0);
  var h_0_1 = vec2<f16>(0.0);
  var h_1_0 = vec2<f16>(0.0);
  var h_1_1 = vec2<f16>(0.0);
  var h_2_0 = vec2<f16>(0.0);
  var h_2_1 = vec2<f16>(0.0);
  var h_3_0 = vec2<f16>(0.0);
  var h_3_1 = vec2<f16>(0.0);
  var la_0 = vec4<f32>(0.0);
  var lb_0 = vec4<f32>(0.0);
  let numSlabs = 16u;
  {
    let k0 = kBase;
    {
      let e = lid + 0u;
      let gr = rowBase + e / 4u;
      let gk = k0 + (e % 4u) * 4u;
      la_0 = vec4<f32>(0.0);
      if (gr < M && gk < K) { la_0 = unpackHalf4(X[xOff + gr * 64u + gk / 4u]); }
    }
    {
      let e = lid + 0u;
      let gk = k0 + e / 16u;
      let gc = colBase + (e % 16u) * 4u;
      lb_0 = vec4<f32>(0.0);
      if (gk < K && gc < N) { lb_0 = unpackHalf4(W[wOff + gk * 32u + gc / 4u]); }
    }
  }
  {
    let e = lid + 0u;
    let row = e / 4u;
    let kq = e % 4u;
    let slot = kq * 64u + row / 4u;
    let lane = row % 4u;
    As[slot + 0u][lane] = vec2<f16>(f16(la_0[0]));
    As[slot + 16u][lane] = vec2<f16>(f16(la_0[1]));
    As[slot + 32u][lane] = vec2<f16>(f16(la_0[2]));
    As[slot + 48u][lane] = vec2<f16>(f16(la_0[3]));
  }
  {
    let e = lid + 0u;
    let c = e % 16u;
    let el = (e / 16u) * 16u + c % 16u;
    let p = (c / 16u) * 2u;
    Bs[el][p] = vec2<f16>(lb_0.xy);
    Bs[el][p + 1u] = vec2<f16>(lb_0.zw);
  }
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
        if (gr < M && gk < K) { la_0 = unpackHalf4(X[xOff + gr * 64u + gk / 4u]); }
      }
      {
        let e = lid + 0u;
        let gk = k0 + e / 16u;
        let gc = colBase + (e % 16u) * 4u;
        lb_0 = vec4<f32>(0.0);
        if (gk < K && gc < N) { lb_0 = unpackHalf4(W[wOff + gk * 32u + gc / 4u]); }
      }
    }
    {
      let a0 = As[0u + ty + 0u];
      let bp = Bs[0u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
    }
    {
      let a0 = As[16u + ty + 0u];
      let bp = Bs[16u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
    }
    {
      let a0 = As[32u + ty + 0u];
      let bp = Bs[32u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
    }
    {
      let a0 = As[48u + ty + 0u];
      let bp = Bs[48u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
    }
    {
      let a0 = As[64u + ty + 0u];
      let bp = Bs[64u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
    }
    {
      let a0 = As[80u + ty + 0u];
      let bp = Bs[80u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
    }
    {
      let a0 = As[96u + ty + 0u];
      let bp = Bs[96u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
    }
    {
      let a0 = As[112u + ty + 0u];
      let bp = Bs[112u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
    }
    acc_0_0 += vec4<f32>(vec2<f32>(h_0_0), vec2<f32>(h_0_1));
    h_0_0 = vec2<f16>(0.0);
    h_0_1 = vec2<f16>(0.0);
    acc_1_0 += vec4<f32>(vec2<f32>(h_1_0), vec2<f32>(h_1_1));
    h_1_0 = vec2<f16>(0.0);
    h_1_1 = vec2<f16>(0.0);
    acc_2_0 += vec4<f32>(vec2<f32>(h_2_0), vec2<f32>(h_2_1));
    h_2_0 = vec2<f16>(0.0);
    h_2_1 = vec2<f16>(0.0);
    acc_3_0 += vec4<f32>(vec2<f32>(h_3_0), vec2<f32>(h_3_1));
    h_3_0 = vec2<f16>(0.0);
    h_3_1 = vec2<f16>(0.0);
    {
      let a0 = As[128u + ty + 0u];
      let bp = Bs[128u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
    }
    {
      let a0 = As[144u + ty + 0u];
      let bp = Bs[144u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
    }
    {
      let a0 = As[160u + ty + 0u];
      let bp = Bs[160u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
    }
    {
      let a0 = As[176u + ty + 0u];
      let bp = Bs[176u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
    }
    {
      let a0 = As[192u + ty + 0u];
      let bp = Bs[192u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
    }
    {
      let a0 = As[208u + ty + 0u];
      let bp = Bs[208u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
    }
    {
      let a0 = As[224u + ty + 0u];
      let bp = Bs[224u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
    }
    {
      let a0 = As[240u + ty + 0u];
      let bp = Bs[240u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
    }
    acc_0_0 += vec4<f32>(vec2<f32>(h_0_0), vec2<f32>(h_0_1));
    h_0_0 = vec2<f16>(0.0);
    h_0_1 = vec2<f16>(0.0);
    acc_1_0 += vec4<f32>(vec2<f32>(h_1_0), vec2<f32>(h_1_1));
    h_1_0 = vec2<f16>(0.0);
    h_1_1 = vec2<f16>(0.0);
    acc_2_0 += vec4<f32>(vec2<f32>(h_2_0), vec2<f32>(h_2_1));
    h_2_0 = vec2<f16>(0.0);
    h_2_1 = vec2<f16>(0.0);
    acc_3_0 += vec4<f32>(vec2<f32>(h_3_0), vec2<f32>(h_3_1));
    h_3_0 = vec2<f16>(0.0);
    h_3_1 = vec2<f16>(0.0);
    workgroupBarrier();
    if (more) {
      {
        let e = lid + 0u;
        let row = e / 4u;
        let kq = e % 4u;
        let slot = kq * 64u + row / 4u;
        let lane = row % 4u;
        As[slot + 0u][lane] = vec2<f16>(f16(la_0[0]));
        As[slot + 16u][lane] = vec2<f16>(f16(la_0[1]));
        As[slot + 32u][lane] = vec2<f16>(f16(la_0[2]));
        As[slot + 48u][lane] = vec2<f16>(f16(la_0[3]));
      }
      {
        let e = lid + 0u;
        let c = e % 16u;
        let el = (e / 16u) * 16u + c % 16u;
        let p = (c / 16u) * 2u;
        Bs[el][p] = vec2<f16>(lb_0.xy);
        Bs[el][p + 1u] = vec2<f16>(lb_0.zw);
      }
    }
    workgroupBarrier();
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 0u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 32u + gc / 4u] = packHalf4(acc_0_0); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 1u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 32u + gc / 4u] = packHalf4(acc_1_0); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 2u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 32u + gc / 4u] = packHalf4(acc_2_0); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 3u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 32u + gc / 4u] = packHalf4(acc_3_0); }
      }
    }
  }
}
