// ==== dense-gemv-f16-3x4096x4096-f16x2 ====
enable f16;
// tilebench dense GEMV 3x4096x4096 f16 cols=2 slices=128 vec=true f16io=native width=8 math=f16x2 carry=4
@group(0) @binding(0) var<storage, read> X: array<f16>;
@group(0) @binding(1) var<storage, read> W: array<mat2x4<f16>>;
@group(0) @binding(2) var<storage, read_write> Y: array<vec4<f16>>;
const K = 4096u;
const N = 4096u;
var<workgroup> red: array<vec4<f32>, 1536>;

fn loadWh(kr: u32, col: u32) -> mat2x4<f16> {
  return W[kr * 512u + col / 8u];
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = lid % 2u;
  let s = lid / 2u;
  let col = (wid.x * 2u + c) * 8u;
  let live = col < N;
  var acc0_0 = vec4<f32>(0.0);
  var acc0_1 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc1_1 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc2_1 = vec4<f32>(0.0);
  var h0_0 = vec4<f16>(0.0);
  var h0_1 = vec4<f16>(0.0);
  var h1_0 = vec4<f16>(0.0);
  var h1_1 = vec4<f16>(0.0);
  var h2_0 = vec4<f16>(0.0);
  var h2_1 = vec4<f16>(0.0);
  if (live) {
    var kr = s;
    for (; kr + 384u < K; kr += 512u) {
      let w0 = loadWh(kr, col);
      h0_0 = fma(vec4<f16>(X[0u + kr]), w0[0], h0_0);
      h0_1 = fma(vec4<f16>(X[0u + kr]), w0[1], h0_1);
      h1_0 = fma(vec4<f16>(X[4096u + kr]), w0[0], h1_0);
      h1_1 = fma(vec4<f16>(X[4096u + kr]), w0[1], h1_1);
      h2_0 = fma(vec4<f16>(X[8192u + kr]), w0[0], h2_0);
      h2_1 = fma(vec4<f16>(X[8192u + kr]), w0[1], h2_1);
      let w1 = loadWh(kr + 128u, col);
      h0_0 = fma(vec4<f16>(X[0u + kr + 128u]), w1[0], h0_0);
      h0_1 = fma(vec4<f16>(X[0u + kr + 128u]), w1[1], h0_1);
      h1_0 = fma(vec4<f16>(X[4096u + kr + 128u]), w1[0], h1_0);
      h1_1 = fma(vec4<f16>(X[4096u + kr + 128u]), w1[1], h1_1);
      h2_0 = fma(vec4<f16>(X[8192u + kr + 128u]), w1[0], h2_0);
      h2_1 = fma(vec4<f16>(X[8192u + kr + 128u]), w1[1], h2_1);
      let w2 = loadWh(kr + 256u, col);
      h0_0 = fma(vec4<f16>(X[0u + kr + 256u]), w2[0], h0_0);
      h0_1 = fma(vec4<f16>(X[0u + kr + 256u]), w2[1], h0_1);
      h1_0 = fma(vec4<f16>(X[4096u + kr + 256u]), w2[0], h1_0);
      h1_1 = fma(vec4<f16>(X[4096u + kr + 256u]), w2[1], h1_1);
      h2_0 = fma(vec4<f16>(X[8192u + kr + 256u]), w2[0], h2_0);
      h2_1 = fma(vec4<f16>(X[8192u + kr + 256u]), w2[1], h2_1);
      let w3 = loadWh(kr + 384u, col);
      h0_0 = fma(vec4<f16>(X[0u + kr + 384u]), w3[0], h0_0);
      h0_1 = fma(vec4<f16>(X[0u + kr + 384u]), w3[1], h0_1);
      h1_0 = fma(vec4<f16>(X[4096u + kr + 384u]), w3[0], h1_0);
      h1_1 = fma(vec4<f16>(X[4096u + kr + 384u]), w3[1], h1_1);
      h2_0 = fma(vec4<f16>(X[8192u + kr + 384u]), w3[0], h2_0);
      h2_1 = fma(vec4<f16>(X[8192u + kr + 384u]), w3[1], h2_1);
      acc0_0 += vec4<f32>(h0_0);
      h0_0 = vec4<f16>(0.0);
      acc0_1 += vec4<f32>(h0_1);
      h0_1 = vec4<f16>(0.0);
      acc1_0 += vec4<f32>(h1_0);
      h1_0 = vec4<f16>(0.0);
      acc1_1 += vec4<f32>(h1_1);
      h1_1 = vec4<f16>(0.0);
      acc2_0 += vec4<f32>(h2_0);
      h2_0 = vec4<f16>(0.0);
      acc2_1 += vec4<f32>(h2_1);
      h2_1 = vec4<f16>(0.0);
    }
    for (; kr < K; kr += 128u) {
      let w0 = loadWh(kr, col);
      h0_0 = fma(vec4<f16>(X[0u + kr]), w0[0], h0_0);
      h0_1 = fma(vec4<f16>(X[0u + kr]), w0[1], h0_1);
      h1_0 = fma(vec4<f16>(X[4096u + kr]), w0[0], h1_0);
      h1_1 = fma(vec4<f16>(X[4096u + kr]), w0[1], h1_1);
      h2_0 = fma(vec4<f16>(X[8192u + kr]), w0[0], h2_0);
      h2_1 = fma(vec4<f16>(X[8192u + kr]), w0[1], h2_1);
    }
    acc0_0 += vec4<f32>(h0_0);
    h0_0 = vec4<f16>(0.0);
    acc0_1 += vec4<f32>(h0_1);
    h0_1 = vec4<f16>(0.0);
    acc1_0 += vec4<f32>(h1_0);
    h1_0 = vec4<f16>(0.0);
    acc1_1 += vec4<f32>(h1_1);
    h1_1 = vec4<f16>(0.0);
    acc2_0 += vec4<f32>(h2_0);
    h2_0 = vec4<f16>(0.0);
    acc2_1 += vec4<f32>(h2_1);
    h2_1 = vec4<f16>(0.0);
  }
  red[0u + lid] = acc0_0;
  red[256u + lid] = acc0_1;
  red[512u + lid] = acc1_0;
  red[768u + lid] = acc1_1;
  red[1024u + lid] = acc2_0;
  red[1280u + lid] = acc2_1;
  workgroupBarrier();
  if (s < 64u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 128u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 128u];
    red[512u + lid] = red[512u + lid] + red[512u + lid + 128u];
    red[768u + lid] = red[768u + lid] + red[768u + lid + 128u];
    red[1024u + lid] = red[1024u + lid] + red[1024u + lid + 128u];
    red[1280u + lid] = red[1280u + lid] + red[1280u + lid + 128u];
  }
  workgroupBarrier();
  if (s < 32u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 64u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 64u];
    red[512u + lid] = red[512u + lid] + red[512u + lid + 64u];
    red[768u + lid] = red[768u + lid] + red[768u + lid + 64u];
    red[1024u + lid] = red[1024u + lid] + red[1024u + lid + 64u];
    red[1280u + lid] = red[1280u + lid] + red[1280u + lid + 64u];
  }
  workgroupBarrier();
  if (s < 16u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 32u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 32u];
    red[512u + lid] = red[512u + lid] + red[512u + lid + 32u];
    red[768u + lid] = red[768u + lid] + red[768u + lid + 32u];
    red[1024u + lid] = red[1024u + lid] + red[1024u + lid + 32u];
    red[1280u + lid] = red[1280u + lid] + red[1280u + lid + 32u];
  }
  workgroupBarrier();
  if (s < 8u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 16u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 16u];
    red[512u + lid] = red[512u + lid] + red[512u + lid + 16u];
    red[768u + lid] = red[768u + lid] + red[768u + lid + 16u];
    red[1024u + lid] = red[1024u + lid] + red[1024u + lid + 16u];
    red[1280u + lid] = red[1280u + lid] + red[1280u + lid + 16u];
  }
  workgroupBarrier();
  if (s < 4u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 8u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 8u];
    red[512u + lid] = red[512u + lid] + red[512u + lid + 8u];
    red[768u + lid] = red[768u + lid] + red[768u + lid + 8u];
    red[1024u + lid] = red[1024u + lid] + red[1024u + lid + 8u];
    red[1280u + lid] = red[1280u + lid] + red[1280u + lid + 8u];
  }
  workgroupBarrier();
  if (s < 2u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 4u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 4u];
    red[512u + lid] = red[512u + lid] + red[512u + lid + 4u];
    red[768u + lid] = red[768u + lid] + red[768u + lid + 4u];
    red[1024u + lid] = red[1024u + lid] + red[1024u + lid + 4u];
    red[1280u + lid] = red[1280u + lid] + red[1280u + lid + 4u];
  }
  workgroupBarrier();
  if (s < 1u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 2u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 2u];
    red[512u + lid] = red[512u + lid] + red[512u + lid + 2u];
    red[768u + lid] = red[768u + lid] + red[768u + lid + 2u];
    red[1024u + lid] = red[1024u + lid] + red[1024u + lid + 2u];
    red[1280u + lid] = red[1280u + lid] + red[1280u + lid + 2u];
  }
  workgroupBarrier();
  if (s == 0u && live) {
    Y[0u + col / 4u] = vec4<f16>(red[0u + c]);
    Y[0u + col / 4u + 1u] = vec4<f16>(red[256u + c]);
    Y[1024u + col / 4u] = vec4<f16>(red[512u + c]);
    Y[1024u + col / 4u + 1u] = vec4<f16>(red[768u + c]);
    Y[2048u + col / 4u] = vec4<f16>(red[1024u + c]);
    Y[2048u + col / 4u + 1u] = vec4<f16>(red[1280u + c]);
  }
}
