
enable f16;
// int8 W8A8 GEMM: f16, 2048x2048x2048, tile 64x64, dot packed
@group(0) @binding(0) var<storage, read> XQ: array<u32>;
@group(0) @binding(1) var<storage, read> SX: array<f32>;
@group(0) @binding(2) var<storage, read> WQ: array<u32>;
@group(0) @binding(3) var<storage, read> SW: array<f32>;
@group(0) @binding(4) var<storage, read_write> Y: array<f16>;
const M = 2048u;
const K = 2048u;
const N = 2048u;
const K4 = 512u;
const BM = 64u;
const BN = 64u;
const BK4 = 8u;
const THREADS = 256u;
var<workgroup> As: array<u32, 512>;
var<workgroup> Bs: array<u32, 512>;

fn dot4(a: u32, b: u32) -> i32 {
  return dot4I8Packed(a, b);
}

fn store_row(r: u32, c0: u32, acc: vec4<i32>) {
  if (r >= M) { return; }
  for (var j = 0u; j < 4u; j++) {
    let c = c0 + j;
    if (c >= N) { return; }
    var y = f32(acc[j]) * SX[r] * SW[c];
    Y[r * N + c] = f16(y);
  }
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let tx = lid % 16u;
  let ty = lid / 16u;
  let col0 = wid.x * BN;
  let row0 = wid.y * BM;
  var acc0 = vec4<i32>(0);
  var acc1 = vec4<i32>(0);
  var acc2 = vec4<i32>(0);
  var acc3 = vec4<i32>(0);
  for (var k0 = 0u; k0 < K4; k0 += BK4) {
    for (var i = lid; i < BM * BK4; i += THREADS) {
      let r = row0 + i / BK4;
      let kw = k0 + i % BK4;
      var v = 0u;
      if (r < M && kw < K4) { v = XQ[r * K4 + kw]; }
      As[i] = v;
    }
    for (var i = lid; i < BN * BK4; i += THREADS) {
      let c = col0 + i / BK4;
      let kw = k0 + i % BK4;
      var v = 0u;
      if (c < N && kw < K4) { v = WQ[c * K4 + kw]; }
      Bs[i] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK4; kk++) {
      let b = vec4<u32>(Bs[(tx * 4u + 0u) * BK4 + kk], Bs[(tx * 4u + 1u) * BK4 + kk], Bs[(tx * 4u + 2u) * BK4 + kk], Bs[(tx * 4u + 3u) * BK4 + kk]);
      let a0 = As[(ty * 4u + 0u) * BK4 + kk];
      let a1 = As[(ty * 4u + 1u) * BK4 + kk];
      let a2 = As[(ty * 4u + 2u) * BK4 + kk];
      let a3 = As[(ty * 4u + 3u) * BK4 + kk];
      acc0 += vec4<i32>(dot4(a0, b.x), dot4(a0, b.y), dot4(a0, b.z), dot4(a0, b.w));
      acc1 += vec4<i32>(dot4(a1, b.x), dot4(a1, b.y), dot4(a1, b.z), dot4(a1, b.w));
      acc2 += vec4<i32>(dot4(a2, b.x), dot4(a2, b.y), dot4(a2, b.z), dot4(a2, b.w));
      acc3 += vec4<i32>(dot4(a3, b.x), dot4(a3, b.y), dot4(a3, b.z), dot4(a3, b.w));
    }
    workgroupBarrier();
  }
  store_row(row0 + ty * 4u + 0u, col0 + tx * 4u, acc0);
  store_row(row0 + ty * 4u + 1u, col0 + tx * 4u, acc1);
  store_row(row0 + ty * 4u + 2u, col0 + tx * 4u, acc2);
  store_row(row0 + ty * 4u + 3u, col0 + tx * 4u, acc3);
}
