// ==== dense-gemv-f16-1x4096x4096 ====
enable f16;
// tilebench dense GEMV 1x4096x4096 f16 cols=8 slices=32 vec=true f16io=packed
@group(0) @binding(0) var<storage, read> X: array<f16>;
@group(0) @binding(1) var<storage, read> W: array<vec2<u32>>;
@group(0) @binding(2) var<storage, read_write> Y: array<vec2<u32>>;
fn unpackHalf4(p: vec2<u32>) -> vec4<f32> {
  return vec4<f32>(unpack2x16float(p.x), unpack2x16float(p.y));
}
fn packHalf4(v: vec4<f32>) -> vec2<u32> {
  return vec2<u32>(pack2x16float(v.xy), pack2x16float(v.zw));
}
const K = 4096u;
const N = 4096u;
var<workgroup> red: array<vec4<f32>, 256>;

fn loadW(kr: u32, col: u32) -> vec4<f32> {
  return unpackHalf4(W[kr * 1024u + col / 4u]);
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = lid % 8u;
  let s = lid / 8u;
  let col = (wid.x * 8u + c) * 4u;
  let live = col < N;
  var acc0 = vec4<f32>(0.0);
  if (live) {
    var kr = s;
    for (; kr + 96u < K; kr += 128u) {
      let w0 = loadW(kr, col);
      acc0 = fma(vec4<f32>(f32(X[0u + kr])), w0, acc0);
      let w1 = loadW(kr + 32u, col);
      acc0 = fma(vec4<f32>(f32(X[0u + kr + 32u])), w1, acc0);
      let w2 = loadW(kr + 64u, col);
      acc0 = fma(vec4<f32>(f32(X[0u + kr + 64u])), w2, acc0);
      let w3 = loadW(kr + 96u, col);
      acc0 = fma(vec4<f32>(f32(X[0u + kr + 96u])), w3, acc0);
    }
    for (; kr < K; kr += 32u) {
      let w0 = loadW(kr, col);
      acc0 = fma(vec4<f32>(f32(X[0u + kr])), w0, acc0);
    }
  }
  red[0u + lid] = acc0;
  workgroupBarrier();
  if (s < 16u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 128u];
  }
  workgroupBarrier();
  if (s < 8u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 64u];
  }
  workgroupBarrier();
  if (s < 4u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 32u];
  }
  workgroupBarrier();
  if (s < 2u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 16u];
  }
  workgroupBarrier();
  if (s < 1u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 8u];
  }
  workgroupBarrier();
  if (s == 0u && live) {
    Y[0u + col / 4u] = packHalf4(red[0u + c]);
  }
}
