// ==== dense-gemv-f16-3x4096x4096-f16x2 ====
enable f16;
// tilebench dense GEMV 3x4096x4096 f16 cols=8 slices=32 vec=true f16io=native math=f16x2 carry=4
@group(0) @binding(0) var<storage, read> X: array<f16>;
@group(0) @binding(1) var<storage, read> W: array<vec4<f16>>;
@group(0) @binding(2) var<storage, read_write> Y: array<vec4<f16>>;
const K = 4096u;
const N = 4096u;
var<workgroup> red: array<vec4<f32>, 768>;

fn loadWh(kr: u32, col: u32) -> vec4<f16> {
  return W[kr * 1024u + col / 4u];
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = lid % 8u;
  let s = lid / 8u;
  let col = (wid.x * 8u + c) * 4u;
  let live = col < N;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var h0 = vec4<f16>(0.0);
  var h1 = vec4<f16>(0.0);
  var h2 = vec4<f16>(0.0);
  if (live) {
    var kr = s;
    for (; kr + 96u < K; kr += 128u) {
      let w0 = loadWh(kr, col);
      h0 = fma(vec4<f16>(X[0u + kr]), w0, h0);
      h1 = fma(vec4<f16>(X[4096u + kr]), w0, h1);
      h2 = fma(vec4<f16>(X[8192u + kr]), w0, h2);
      let w1 = loadWh(kr + 32u, col);
      h0 = fma(vec4<f16>(X[0u + kr + 32u]), w1, h0);
      h1 = fma(vec4<f16>(X[4096u + kr + 32u]), w1, h1);
      h2 = fma(vec4<f16>(X[8192u + kr + 32u]), w1, h2);
      let w2 = loadWh(kr + 64u, col);
      h0 = fma(vec4<f16>(X[0u + kr + 64u]), w2, h0);
      h1 = fma(vec4<f16>(X[4096u + kr + 64u]), w2, h1);
      h2 = fma(vec4<f16>(X[8192u + kr + 64u]), w2, h2);
      let w3 = loadWh(kr + 96u, col);
      h0 = fma(vec4<f16>(X[0u + kr + 96u]), w3, h0);
      h1 = fma(vec4<f16>(X[4096u + kr + 96u]), w3, h1);
      h2 = fma(vec4<f16>(X[8192u + kr + 96u]), w3, h2);
      acc0 += vec4<f32>(h0);
      h0 = vec4<f16>(0.0);
      acc1 += vec4<f32>(h1);
      h1 = vec4<f16>(0.0);
      acc2 += vec4<f32>(h2);
      h2 = vec4<f16>(0.0);
    }
    for (; kr < K; kr += 32u) {
      let w0 = loadWh(kr, col);
      h0 = fma(vec4<f16>(X[0u + kr]), w0, h0);
      h1 = fma(vec4<f16>(X[4096u + kr]), w0, h1);
      h2 = fma(vec4<f16>(X[8192u + kr]), w0, h2);
    }
    acc0 += vec4<f32>(h0);
    h0 = vec4<f16>(0.0);
    acc1 += vec4<f32>(h1);
    h1 = vec4<f16>(0.0);
    acc2 += vec4<f32>(h2);
    h2 = vec4<f16>(0.0);
  }
  red[0u + lid] = acc0;
  red[256u + lid] = acc1;
  red[512u + lid] = acc2;
  workgroupBarrier();
  if (s < 16u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 128u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 128u];
    red[512u + lid] = red[512u + lid] + red[512u + lid + 128u];
  }
  workgroupBarrier();
  if (s < 8u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 64u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 64u];
    red[512u + lid] = red[512u + lid] + red[512u + lid + 64u];
  }
  workgroupBarrier();
  if (s < 4u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 32u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 32u];
    red[512u + lid] = red[512u + lid] + red[512u + lid + 32u];
  }
  workgroupBarrier();
  if (s < 2u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 16u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 16u];
    red[512u + lid] = red[512u + lid] + red[512u + lid + 16u];
  }
  workgroupBarrier();
  if (s < 1u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 8u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 8u];
    red[512u + lid] = red[512u + lid] + red[512u + lid + 8u];
  }
  workgroupBarrier();
  if (s == 0u && live) {
    Y[0u + col / 4u] = vec4<f16>(red[0u + c]);
    Y[1024u + col / 4u] = vec4<f16>(red[256u + c]);
    Y[2048u + col / 4u] = vec4<f16>(red[512u + c]);
  }
}
