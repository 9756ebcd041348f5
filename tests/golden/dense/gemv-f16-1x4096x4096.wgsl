// ==== dense-gemv-f16-1x4096x4096 ====
enable f16;
// tilebench dense GEMV 1x4096x4096 f16 cols=2 slices=128 vec=true f16io=packed width=8
@group(0) @binding(0) var<storage, read> X: array<f16>;
@group(0) @binding(1) var<storage, read> W: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read_write> Y: array<vec2<u32>>;
fn unpackHalf4(p: vec2<u32>) -> vec4<f32> {
  return vec4<f32>(unpack2x16float(p.x), unpack2x16float(p.y));
}
fn packHalf4(v: vec4<f32>) -> vec2<u32> {
  return vec2<u32>(pack2x16float(v.xy), pack2x16float(v.zw));
}
const K = 4096u;
const N = 4096u;
var<workgroup> red: array<vec4<f32>, 512>;

fn loadW(kr: u32, col: u32) -> mat2x4<f32> {
  let p = W[kr * 512u + col / 8u];
  return mat2x4<f32>(unpackHalf4(p.xy), unpackHalf4(p.zw));
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = lid % 2u;
  let s = lid / 2u;
  let col = (wid.x * 2u + c) * 8u;
  let live = col < N;
  var acc0_0 = vec4<f32>(0.0);
  var acc0_1 = vec4<f32>(0.0);
  if (live) {
    var kr = s;
    for (; kr + 384u < K; kr += 512u) {
      let w0 = loadW(kr, col);
      acc0_0 = fma(vec4<f32>(f32(X[0u + kr])), w0[0], acc0_0);
      acc0_1 = fma(vec4<f32>(f32(X[0u + kr])), w0[1], acc0_1);
      let w1 = loadW(kr + 128u, col);
      acc0_0 = fma(vec4<f32>(f32(X[0u + kr + 128u])), w1[0], acc0_0);
      acc0_1 = fma(vec4<f32>(f32(X[0u + kr + 128u])), w1[1], acc0_1);
      let w2 = loadW(kr + 256u, col);
      acc0_0 = fma(vec4<f32>(f32(X[0u + kr + 256u])), w2[0], acc0_0);
      acc0_1 = fma(vec4<f32>(f32(X[0u + kr + 256u])), w2[1], acc0_1);
      let w3 = loadW(kr + 384u, col);
      acc0_0 = fma(vec4<f32>(f32(X[0u + kr + 384u])), w3[0], acc0_0);
      acc0_1 = fma(vec4<f32>(f32(X[0u + kr + 384u])), w3[1], acc0_1);
    }
    for (; kr < K; kr += 128u) {
      let w0 = loadW(kr, col);
      acc0_0 = fma(vec4<f32>(f32(X[0u + kr])), w0[0], acc0_0);
      acc0_1 = fma(vec4<f32>(f32(X[0u + kr])), w0[1], acc0_1);
    }
  }
  red[0u + lid] = acc0_0;
  red[256u + lid] = acc0_1;
  workgroupBarrier();
  if (s < 64u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 128u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 128u];
  }
  workgroupBarrier();
  if (s < 32u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 64u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 64u];
  }
  workgroupBarrier();
  if (s < 16u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 32u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 32u];
  }
  workgroupBarrier();
  if (s < 8u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 16u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 16u];
  }
  workgroupBarrier();
  if (s < 4u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 8u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 8u];
  }
  workgroupBarrier();
  if (s < 2u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 4u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 4u];
  }
  workgroupBarrier();
  if (s < 1u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 2u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 2u];
  }
  workgroupBarrier();
  if (s == 0u && live) {
    Y[0u + col / 4u] = packHalf4(red[0u + c]);
    Y[0u + col / 4u + 1u] = packHalf4(red[256u + c]);
  }
}
