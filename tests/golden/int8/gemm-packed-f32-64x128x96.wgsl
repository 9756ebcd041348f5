// ==== int8-quant-f32-64x128 ====
// int8 activation quantisation: f32, K = 128, 32 threads a row, 1 word of four a thread held
@group(0) @binding(0) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> XQ: array<u32>;
@group(0) @binding(2) var<storage, read_write> SX: array<f32>;
const K = 128u;
const K4 = 32u;
var<workgroup> red: array<f32, 32>;

fn xs4(r: u32, w: u32) -> vec4<f32> {
  return vec4<f32>(X[r * K4 + w]);
}

fn codesOf(x: vec4<f32>, sx: f32) -> u32 {
  if (sx <= 0.0) { return 0u; }
  let v = clamp(x / sx, vec4<f32>(-127.0), vec4<f32>(127.0)) + vec4<f32>(12582912.0);
  let q = bitcast<vec4<u32>>(v) & vec4<u32>(0xffu);
  return q.x | (q.y << 8u) | (q.z << 16u) | (q.w << 24u);
}

@compute @workgroup_size(32)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let r = wid.x;
  var amax = 0.0;
  let w0 = lid + 0u;
  var x0 = vec4<f32>(0.0);
  if (w0 < K4) { x0 = xs4(r, w0); }
  { let v = abs(x0); amax = max(amax, max(max(v.x, v.y), max(v.z, v.w))); }
  red[lid] = amax;
  workgroupBarrier();
  if (lid < 4u) { red[lid] = max(max(max(max(max(max(max(red[lid], red[lid + 4u]), red[lid + 8u]), red[lid + 12u]), red[lid + 16u]), red[lid + 20u]), red[lid + 24u]), red[lid + 28u]); }
  workgroupBarrier();
  if (lid < 1u) { red[lid] = max(max(max(red[lid], red[lid + 1u]), red[lid + 2u]), red[lid + 3u]); }
  workgroupBarrier();
  let sx = red[0] / 127.0;
  if (lid == 0u) { SX[r] = sx; }
  if (w0 < K4) { XQ[r * K4 + w0] = codesOf(x0, sx); }
}
// ==== int8-gemm-f32-64x128x96 ====
// int8 W8A8 GEMM: f32, 64x128x96, tile 32x32, 4x4 a thread, dot packed
@group(0) @binding(0) var<storage, read> XQ: array<u32>;
@group(0) @binding(1) var<storage, read> SX: array<f32>;
@group(0) @binding(2) var<storage, read> WQ: array<u32>;
@group(0) @binding(3) var<storage, read> SW: array<f32>;
@group(0) @binding(4) var<storage, read_write> Y: array<f32>;
const M = 64u;
const K = 128u;
const N = 96u;
const K4 = 32u;
const BK4 = 8u;
var<workgroup> As: array<vec4<u32>, 72>;
var<workgroup> Bs: array<vec4<u32>, 72>;

fn dot4(a: u32, b: u32) -> i32 {
  return dot4I8Packed(a, b);
}

fn store_row(r: u32, c0: u32, acc: vec4<i32>) {
  if (r >= M) { return; }
  for (var j = 0u; j < 4u; j++) {
    let c = c0 + j;
    if (c >= N) { return; }
    var y = f32(acc[j]) * SX[r] * SW[c];
    Y[r * N + c] = f32(y);
  }
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let tx = lid % 8u;
  let ty = lid / 8u;
  let col0 = wid.x * 32u;
  let row0 = wid.y * 32u;
  var acc0_0 = vec4<i32>(0);
  var acc1_0 = vec4<i32>(0);
  var acc2_0 = vec4<i32>(0);
  var acc3_0 = vec4<i32>(0);
  var ga0 = 0u;
  var ga1 = 0u;
  var ga2 = 0u;
  var ga3 = 0u;
  var gb0 = 0u;
  var gb1 = 0u;
  var gb2 = 0u;
  var gb3 = 0u;
  {
    let k0 = 0u;
    {
      let r = row0 + (lid + 0u) / BK4;
      let kw = k0 + (lid + 0u) % BK4;
      ga0 = 0u;
      if (r < M && kw < K4) { ga0 = XQ[r * K4 + kw]; }
    }
    {
      let r = row0 + (lid + 64u) / BK4;
      let kw = k0 + (lid + 64u) % BK4;
      ga1 = 0u;
      if (r < M && kw < K4) { ga1 = XQ[r * K4 + kw]; }
    }
    {
      let r = row0 + (lid + 128u) / BK4;
      let kw = k0 + (lid + 128u) % BK4;
      ga2 = 0u;
      if (r < M && kw < K4) { ga2 = XQ[r * K4 + kw]; }
    }
    {
      let r = row0 + (lid + 192u) / BK4;
      let kw = k0 + (lid + 192u) % BK4;
      ga3 = 0u;
      if (r < M && kw < K4) { ga3 = XQ[r * K4 + kw]; }
    }
    {
      let c = col0 + (lid + 0u) / BK4;
      let kw = k0 + (lid + 0u) % BK4;
      gb0 = 0u;
      if (c < N && kw < K4) { gb0 = WQ[c * K4 + kw]; }
    }
    {
      let c = col0 + (lid + 64u) / BK4;
      let kw = k0 + (lid + 64u) % BK4;
      gb1 = 0u;
      if (c < N && kw < K4) { gb1 = WQ[c * K4 + kw]; }
    }
    {
      let c = col0 + (lid + 128u) / BK4;
      let kw = k0 + (lid + 128u) % BK4;
      gb2 = 0u;
      if (c < N && kw < K4) { gb2 = WQ[c * K4 + kw]; }
    }
    {
      let c = col0 + (lid + 192u) / BK4;
      let kw = k0 + (lid + 192u) % BK4;
      gb3 = 0u;
      if (c < N && kw < K4) { gb3 = WQ[c * K4 + kw]; }
    }
  }
  { let e = lid + 0u; let p = e / BK4; As[(e % BK4) * 9u + p / 4u][p % 4u] = ga0; }
  { let e = lid + 64u; let p = e / BK4; As[(e % BK4) * 9u + p / 4u][p % 4u] = ga1; }
  { let e = lid + 128u; let p = e / BK4; As[(e % BK4) * 9u + p / 4u][p % 4u] = ga2; }
  { let e = lid + 192u; let p = e / BK4; As[(e % BK4) * 9u + p / 4u][p % 4u] = ga3; }
  { let e = lid + 0u; let p = e / BK4; Bs[(e % BK4) * 9u + p / 4u][p % 4u] = gb0; }
  { let e = lid + 64u; let p = e / BK4; Bs[(e % BK4) * 9u + p / 4u][p % 4u] = gb1; }
  { let e = lid + 128u; let p = e / BK4; Bs[(e % BK4) * 9u + p / 4u][p % 4u] = gb2; }
  { let e = lid + 192u; let p = e / BK4; Bs[(e % BK4) * 9u + p / 4u][p % 4u] = gb3; }
  workgroupBarrier();
  for (var k0 = BK4; k0 < K4 + BK4; k0 += BK4) {
    let more = k0 < K4;
    if (more) {
      {
        let r = row0 + (lid + 0u) / BK4;
        let kw = k0 + (lid + 0u) % BK4;
        ga0 = 0u;
        if (r < M && kw < K4) { ga0 = XQ[r * K4 + kw]; }
      }
      {
        let r = row0 + (lid + 64u) / BK4;
        let kw = k0 + (lid + 64u) % BK4;
        ga1 = 0u;
        if (r < M && kw < K4) { ga1 = XQ[r * K4 + kw]; }
      }
      {
        let r = row0 + (lid + 128u) / BK4;
        let kw = k0 + (lid + 128u) % BK4;
        ga2 = 0u;
        if (r < M && kw < K4) { ga2 = XQ[r * K4 + kw]; }
      }
      {
        let r = row0 + (lid + 192u) / BK4;
        let kw = k0 + (lid + 192u) % BK4;
        ga3 = 0u;
        if (r < M && kw < K4) { ga3 = XQ[r * K4 + kw]; }
      }
      {
        let c = col0 + (lid + 0u) / BK4;
        let kw = k0 + (lid + 0u) % BK4;
        gb0 = 0u;
        if (c < N && kw < K4) { gb0 = WQ[c * K4 + kw]; }
      }
      {
        let c = col0 + (lid + 64u) / BK4;
        let kw = k0 + (lid + 64u) % BK4;
        gb1 = 0u;
        if (c < N && kw < K4) { gb1 = WQ[c * K4 + kw]; }
      }
      {
        let c = col0 + (lid + 128u) / BK4;
        let kw = k0 + (lid + 128u) % BK4;
        gb2 = 0u;
        if (c < N && kw < K4) { gb2 = WQ[c * K4 + kw]; }
      }
      {
        let c = col0 + (lid + 192u) / BK4;
        let kw = k0 + (lid + 192u) % BK4;
        gb3 = 0u;
        if (c < N && kw < K4) { gb3 = WQ[c * K4 + kw]; }
      }
    }
    for (var kk = 0u; kk < BK4; kk += 2u) {
      let a0_0 = As[(kk + 0u) * 9u + ty + 0u];
      let b0_0 = Bs[(kk + 0u) * 9u + tx + 0u];
      let a0_1 = As[(kk + 1u) * 9u + ty + 0u];
      let b0_1 = Bs[(kk + 1u) * 9u + tx + 0u];
      acc0_0 += vec4<i32>(dot4(a0_0.x, b0_0.x) + dot4(a0_1.x, b0_1.x), dot4(a0_0.x, b0_0.y) + dot4(a0_1.x, b0_1.y), dot4(a0_0.x, b0_0.z) + dot4(a0_1.x, b0_1.z), dot4(a0_0.x, b0_0.w) + dot4(a0_1.x, b0_1.w));
      acc1_0 += vec4<i32>(dot4(a0_0.y, b0_0.x) + dot4(a0_1.y, b0_1.x), dot4(a0_0.y, b0_0.y) + dot4(a0_1.y, b0_1.y), dot4(a0_0.y, b0_0.z) + dot4(a0_1.y, b0_1.z), dot4(a0_0.y, b0_0.w) + dot4(a0_1.y, b0_1.w));
      acc2_0 += vec4<i32>(dot4(a0_0.z, b0_0.x) + dot4(a0_1.z, b0_1.x), dot4(a0_0.z, b0_0.y) + dot4(a0_1.z, b0_1.y), dot4(a0_0.z, b0_0.z) + dot4(a0_1.z, b0_1.z), dot4(a0_0.z, b0_0.w) + dot4(a0_1.z, b0_1.w));
      acc3_0 += vec4<i32>(dot4(a0_0.w, b0_0.x) + dot4(a0_1.w, b0_1.x), dot4(a0_0.w, b0_0.y) + dot4(a0_1.w, b0_1.y), dot4(a0_0.w, b0_0.z) + dot4(a0_1.w, b0_1.z), dot4(a0_0.w, b0_0.w) + dot4(a0_1.w, b0_1.w));
    }
    workgroupBarrier();
    if (more) {
      { let e = lid + 0u; let p = e / BK4; As[(e % BK4) * 9u + p / 4u][p % 4u] = ga0; }
      { let e = lid + 64u; let p = e / BK4; As[(e % BK4) * 9u + p / 4u][p % 4u] = ga1; }
      { let e = lid + 128u; let p = e / BK4; As[(e % BK4) * 9u + p / 4u][p % 4u] = ga2; }
      { let e = lid + 192u; let p = e / BK4; As[(e % BK4) * 9u + p / 4u][p % 4u] = ga3; }
      { let e = lid + 0u; let p = e / BK4; Bs[(e % BK4) * 9u + p / 4u][p % 4u] = gb0; }
      { let e = lid + 64u; let p = e / BK4; Bs[(e % BK4) * 9u + p / 4u][p % 4u] = gb1; }
      { let e = lid + 128u; let p = e / BK4; Bs[(e % BK4) * 9u + p / 4u][p % 4u] = gb2; }
      { let e = lid + 192u; let p = e / BK4; Bs[(e % BK4) * 9u + p / 4u][p % 4u] = gb3; }
    }
    workgroupBarrier();
  }
  store_row(row0 + (ty + 0u) * 4u + 0u, col0 + (tx + 0u) * 4u, acc0_0);
  store_row(row0 + (ty + 0u) * 4u + 1u, col0 + (tx + 0u) * 4u, acc1_0);
  store_row(row0 + (ty + 0u) * 4u + 2u, col0 + (tx + 0u) * 4u, acc2_0);
  store_row(row0 + (ty + 0u) * 4u + 3u, col0 + (tx + 0u) * 4u, acc3_0);
}
