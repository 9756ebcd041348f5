// ==== dense-gemm-f32-16x4096x1024 ====
// tilebench dense GEMM 16x4096x1024 batch=1 f32 tile=16x64x16 thread=4x4 vec=true splitK=32 f16io=packed
@group(0) @binding(0) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> W: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> Y: array<vec4<f32>>;
const M = 16u;
const K = 4096u;
const N = 1024u;
var<workgroup> As: array<vec4<f32>, 64>;
var<workgroup> Bs: array<vec4<f32>, 256>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let tx = lid % 16u;
  let ty = lid / 16u;
  let rowBase = wid.y * 16u;
  let colBase = wid.x * 64u;
  let b = wid.z / 32u;
  let kBase = (wid.z % 32u) * 128u;
  let xOff = 0u;
  let wOff = 0u;
  let yOff = wid.z * 4096u;
  var acc_0_0 = vec4<f32>(0.0);
  var acc_1_0 = vec4<f32>(0.0);
  var acc_2_0 = vec4<f32>(0.0);
  var acc_3_0 = vec4<f32>(0.0);
  var la_0 = vec4<f32>(0.0);
  var lb_0 = vec4<f32>(0.0);
  var lb_1 = vec4<f32>(0.0);
  var lb_2 = vec4<f32>(0.0);
  var lb_3 = vec4<f32>(0.0);
  let numSlabs = 8u;
  {
    let k0 = kBase;
    {
      let e = lid + 0u;
      let gr = rowBase + e / 4u;
      let gk = k0 + (e % 4u) * 4u;
      la_0 = vec4<f32>(0.0);
      if (gr < M && gk < K) { la_0 = vec4<f32>(X[xOff + gr * 1024u + gk / 4u]); }
    }
    {
      let e = lid + 0u;
      let gk = k0 + e / 16u;
      let gc = colBase + (e % 16u) * 4u;
      lb_0 = vec4<f32>(0.0);
      if (gk < K && gc < N) { lb_0 = vec4<f32>(W[wOff + gk * 256u + gc / 4u]); }
    }
    {
      let e = lid + 64u;
      let gk = k0 + e / 16u;
      let gc = colBase + (e % 16u) * 4u;
      lb_1 = vec4<f32>(0.0);
      if (gk < K && gc < N) { lb_1 = vec4<f32>(W[wOff + gk * 256u + gc / 4u]); }
    }
    {
      let e = lid + 128u;
      let gk = k0 + e / 16u;
      let gc = colBase + (e % 16u) * 4u;
      lb_2 = vec4<f32>(0.0);
      if (gk < K && gc < N) { lb_2 = vec4<f32>(W[wOff + gk * 256u + gc / 4u]); }
    }
    {
      let e = lid + 192u;
      let gk = k0 + e / 16u;
      let gc = colBase + (e % 16u) * 4u;
      lb_3 = vec4<f32>(0.0);
      if (gk < K && gc < N) { lb_3 = vec4<f32>(W[wOff + gk * 256u + gc / 4u]); }
    }
  }
  {
    let e = lid + 0u;
    let row = e / 4u;
    let kq = e % 4u;
    let slot = kq * 16u + row / 4u;
    let lane = row % 4u;
    As[slot + 0u][lane] = la_0[0];
    As[slot + 4u][lane] = la_0[1];
    As[slot + 8u][lane] = la_0[2];
    As[slot + 12u][lane] = la_0[3];
  }
  { Bs[lid + 0u] = lb_0; }
  { Bs[lid + 64u] = lb_1; }
  { Bs[lid + 128u] = lb_2; }
  { Bs[lid + 192u] = lb_3; }
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
        if (gr < M && gk < K) { la_0 = vec4<f32>(X[xOff + gr * 1024u + gk / 4u]); }
      }
      {
        let e = lid + 0u;
        let gk = k0 + e / 16u;
        let gc = colBase + (e % 16u) * 4u;
        lb_0 = vec4<f32>(0.0);
        if (gk < K && gc < N) { lb_0 = vec4<f32>(W[wOff + gk * 256u + gc / 4u]); }
      }
      {
        let e = lid + 64u;
        let gk = k0 + e / 16u;
        let gc = colBase + (e % 16u) * 4u;
        lb_1 = vec4<f32>(0.0);
        if (gk < K && gc < N) { lb_1 = vec4<f32>(W[wOff + gk * 256u + gc / 4u]); }
      }
      {
        let e = lid + 128u;
        let gk = k0 + e / 16u;
        let gc = colBase + (e % 16u) * 4u;
        lb_2 = vec4<f32>(0.0);
        if (gk < K && gc < N) { lb_2 = vec4<f32>(W[wOff + gk * 256u + gc / 4u]); }
      }
      {
        let e = lid + 192u;
        let gk = k0 + e / 16u;
        let gc = colBase + (e % 16u) * 4u;
        lb_3 = vec4<f32>(0.0);
        if (gk < K && gc < N) { lb_3 = vec4<f32>(W[wOff + gk * 256u + gc / 4u]); }
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
      let a0 = As[4u + ty + 0u];
      let b0 = Bs[16u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[8u + ty + 0u];
      let b0 = Bs[32u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[12u + ty + 0u];
      let b0 = Bs[48u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[16u + ty + 0u];
      let b0 = Bs[64u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[20u + ty + 0u];
      let b0 = Bs[80u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[24u + ty + 0u];
      let b0 = Bs[96u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[28u + ty + 0u];
      let b0 = Bs[112u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[32u + ty + 0u];
      let b0 = Bs[128u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[36u + ty + 0u];
      let b0 = Bs[144u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[40u + ty + 0u];
      let b0 = Bs[160u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[44u + ty + 0u];
      let b0 = Bs[176u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[48u + ty + 0u];
      let b0 = Bs[192u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[52u + ty + 0u];
      let b0 = Bs[208u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[56u + ty + 0u];
      let b0 = Bs[224u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[60u + ty + 0u];
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
        let slot = kq * 16u + row / 4u;
        let lane = row % 4u;
        As[slot + 0u][lane] = la_0[0];
        As[slot + 4u][lane] = la_0[1];
        As[slot + 8u][lane] = la_0[2];
        As[slot + 12u][lane] = la_0[3];
      }
      { Bs[lid + 0u] = lb_0; }
      { Bs[lid + 64u] = lb_1; }
      { Bs[lid + 128u] = lb_2; }
      { Bs[lid + 192u] = lb_3; }
    }
    workgroupBarrier();
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 0u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 256u + gc / 4u] = vec4<f32>(acc_0_0); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 1u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 256u + gc / 4u] = vec4<f32>(acc_1_0); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 2u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 256u + gc / 4u] = vec4<f32>(acc_2_0); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 3u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 256u + gc / 4u] = vec4<f32>(acc_3_0); }
      }
    }
  }
}
// ==== dense:splitk-reduce ====
// tilebench split-K reduce count=16384 batch=1 splitK=32 f32 vec=true
@group(0) @binding(0) var<storage, read> P: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> Y: array<vec4<f32>>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * nwg.x * 256u;
  if (idx >= 4096u) { return; }
  let b = idx / 4096u;
  let i = idx % 4096u;
  let base = b * 131072u + i;
  var s = P[base];
  s = s + P[base + 4096u];
  s = s + P[base + 8192u];
  s = s + P[base + 12288u];
  s = s + P[base + 16384u];
  s = s + P[base + 20480u];
  s = s + P[base + 24576u];
  s = s + P[base + 28672u];
  s = s + P[base + 32768u];
  s = s + P[base + 36864u];
  s = s + P[base + 40960u];
  s = s + P[base + 45056u];
  s = s + P[base + 49152u];
  s = s + P[base + 53248u];
  s = s + P[base + 57344u];
  s = s + P[base + 61440u];
  s = s + P[base + 65536u];
  s = s + P[base + 69632u];
  s = s + P[base + 73728u];
  s = s + P[base + 77824u];
  s = s + P[base + 81920u];
  s = s + P[base + 86016u];
  s = s + P[base + 90112u];
  s = s + P[base + 94208u];
  s = s + P[base + 98304u];
  s = s + P[base + 102400u];
  s = s + P[base + 106496u];
  s = s + P[base + 110592u];
  s = s + P[base + 114688u];
  s = s + P[base + 118784u];
  s = s + P[base + 122880u];
  s = s + P[base + 126976u];
  Y[b * 4096u + i] = vec4<f32>(s);
}
