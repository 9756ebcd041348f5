// ==== sparse24-gemm-f16-37x100x53 ====
enable f16;
// tilebench sparse24 gather GEMM 37x100x53 f16 tile=32x128 lane=8x4 warps=4x1 splitK=1 half=true
@group(0) @binding(0) var<storage, read> X: array<vec4<f16>>;
@group(0) @binding(1) var<storage, read> V: array<vec4<f16>>;
@group(0) @binding(2) var<storage, read> Meta: array<vec4<u32>>;
@group(0) @binding(3) var<storage, read_write> Y: array<f16>;
const M = 37u;
const K = 100u;
const N = 53u;
const NP4 = 14u;
struct XRow {
  v: array<array<vec4<f16>, 2>, 4>,
  pad: vec4<f16>,
}
var<workgroup> Xs: array<XRow, 16>;

@compute @workgroup_size(128)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let lane = lid % 32u;
  let warp = lid / 32u;
  let wm = warp % 4u;
  let rowBase = wid.y * 32u;
  let gc4 = wid.x * 32u + (warp / 4u) * 32u + lane;
  let colLive = gc4 < NP4;
  var acc_0_0 = vec4<f32>(0.0);
  var h_0_0 = vec4<f16>(0.0);
  var acc_0_1 = vec4<f32>(0.0);
  var h_0_1 = vec4<f16>(0.0);
  var acc_0_2 = vec4<f32>(0.0);
  var h_0_2 = vec4<f16>(0.0);
  var acc_0_3 = vec4<f32>(0.0);
  var h_0_3 = vec4<f16>(0.0);
  var acc_1_0 = vec4<f32>(0.0);
  var h_1_0 = vec4<f16>(0.0);
  var acc_1_1 = vec4<f32>(0.0);
  var h_1_1 = vec4<f16>(0.0);
  var acc_1_2 = vec4<f32>(0.0);
  var h_1_2 = vec4<f16>(0.0);
  var acc_1_3 = vec4<f32>(0.0);
  var h_1_3 = vec4<f16>(0.0);
  var lx_0 = vec4<f32>(0.0);
  let sBegin = wid.z * 8u;
  let sEnd = min(sBegin + 8u, 8u);
  {
    let k0 = sBegin * 16u;
    {
      let e = lid + 0u;
      let gr = rowBase + e / 4u;
      let gk = k0 + (e % 4u) * 4u;
      lx_0 = vec4<f32>(0.0);
      if (gr < M && gk < K) { lx_0 = vec4<f32>(X[gr * 25u + gk / 4u]); }
    }
  }
  {
    let e = lid + 0u;
    let row = e / 4u;
    let kq = e % 4u;
    let rw = row / 8u;
    let rb = (row % 8u) / 4u;
    let part = row % 4u;
    Xs[kq * 4u + 0u].v[rw][rb][part] = f16(lx_0[0]);
    Xs[kq * 4u + 1u].v[rw][rb][part] = f16(lx_0[1]);
    Xs[kq * 4u + 2u].v[rw][rb][part] = f16(lx_0[2]);
    Xs[kq * 4u + 3u].v[rw][rb][part] = f16(lx_0[3]);
  }
  workgroupBarrier();
  for (var s = sBegin; s < sEnd; s++) {
    let more = s + 1u < sEnd;
    if (more) {
      let k0 = (s + 1u) * 16u;
      {
        let e = lid + 0u;
        let gr = rowBase + e / 4u;
        let gk = k0 + (e % 4u) * 4u;
        lx_0 = vec4<f32>(0.0);
        if (gr < M && gk < K) { lx_0 = vec4<f32>(X[gr * 25u + gk / 4u]); }
      }
    }
    {
      let t = s;
      var mq = vec4<u32>(0u);
      if (colLive) { mq = Meta[(t / 2u) * NP4 + gc4]; }
      let sh = (t % 2u) * 16u;
      var v0 = vec4<f16>(0.0);
      if (colLive) { v0 = vec4<f16>(V[(t * 8u + 0u) * NP4 + gc4]); }
      var v1 = vec4<f16>(0.0);
      if (colLive) { v1 = vec4<f16>(V[(t * 8u + 1u) * NP4 + gc4]); }
      var v2 = vec4<f16>(0.0);
      if (colLive) { v2 = vec4<f16>(V[(t * 8u + 2u) * NP4 + gc4]); }
      var v3 = vec4<f16>(0.0);
      if (colLive) { v3 = vec4<f16>(V[(t * 8u + 3u) * NP4 + gc4]); }
      var v4 = vec4<f16>(0.0);
      if (colLive) { v4 = vec4<f16>(V[(t * 8u + 4u) * NP4 + gc4]); }
      var v5 = vec4<f16>(0.0);
      if (colLive) { v5 = vec4<f16>(V[(t * 8u + 5u) * NP4 + gc4]); }
      var v6 = vec4<f16>(0.0);
      if (colLive) { v6 = vec4<f16>(V[(t * 8u + 6u) * NP4 + gc4]); }
      var v7 = vec4<f16>(0.0);
      if (colLive) { v7 = vec4<f16>(V[(t * 8u + 7u) * NP4 + gc4]); }
      {
        let nib = (mq[0] >> (sh + 0u)) & 15u;
        let k0 = 0u + (nib & 3u);
        let k1 = 0u + (nib >> 2u);
        let w0 = vec4<f16>(v0[0]);
        let w1 = vec4<f16>(v1[0]);
        h_0_0 = fma(Xs[k0].v[wm][0], w0, h_0_0);
        h_1_0 = fma(Xs[k0].v[wm][1], w0, h_1_0);
        h_0_0 = fma(Xs[k1].v[wm][0], w1, h_0_0);
        h_1_0 = fma(Xs[k1].v[wm][1], w1, h_1_0);
      }
      {
        let nib = (mq[1] >> (sh + 0u)) & 15u;
        let k0 = 0u + (nib & 3u);
        let k1 = 0u + (nib >> 2u);
        let w0 = vec4<f16>(v0[1]);
        let w1 = vec4<f16>(v1[1]);
        h_0_1 = fma(Xs[k0].v[wm][0], w0, h_0_1);
        h_1_1 = fma(Xs[k0].v[wm][1], w0, h_1_1);
        h_0_1 = fma(Xs[k1].v[wm][0], w1, h_0_1);
        h_1_1 = fma(Xs[k1].v[wm][1], w1, h_1_1);
      }
      {
        let nib = (mq[2] >> (sh + 0u)) & 15u;
        let k0 = 0u + (nib & 3u);
        let k1 = 0u + (nib >> 2u);
        let w0 = vec4<f16>(v0[2]);
        let w1 = vec4<f16>(v1[2]);
        h_0_2 = fma(Xs[k0].v[wm][0], w0, h_0_2);
        h_1_2 = fma(Xs[k0].v[wm][1], w0, h_1_2);
        h_0_2 = fma(Xs[k1].v[wm][0], w1, h_0_2);
        h_1_2 = fma(Xs[k1].v[wm][1], w1, h_1_2);
      }
      {
        let nib = (mq[3] >> (sh + 0u)) & 15u;
        let k0 = 0u + (nib & 3u);
        let k1 = 0u + (nib >> 2u);
        let w0 = vec4<f16>(v0[3]);
        let w1 = vec4<f16>(v1[3]);
        h_0_3 = fma(Xs[k0].v[wm][0], w0, h_0_3);
        h_1_3 = fma(Xs[k0].v[wm][1], w0, h_1_3);
        h_0_3 = fma(Xs[k1].v[wm][0], w1, h_0_3);
        h_1_3 = fma(Xs[k1].v[wm][1], w1, h_1_3);
      }
      {
        let nib = (mq[0] >> (sh + 4u)) & 15u;
        let k0 = 4u + (nib & 3u);
        let k1 = 4u + (nib >> 2u);
        let w0 = vec4<f16>(v2[0]);
        let w1 = vec4<f16>(v3[0]);
        h_0_0 = fma(Xs[k0].v[wm][0], w0, h_0_0);
        h_1_0 = fma(Xs[k0].v[wm][1], w0, h_1_0);
        h_0_0 = fma(Xs[k1].v[wm][0], w1, h_0_0);
        h_1_0 = fma(Xs[k1].v[wm][1], w1, h_1_0);
      }
      {
        let nib = (mq[1] >> (sh + 4u)) & 15u;
        let k0 = 4u + (nib & 3u);
        let k1 = 4u + (nib >> 2u);
        let w0 = vec4<f16>(v2[1]);
        let w1 = vec4<f16>(v3[1]);
        h_0_1 = fma(Xs[k0].v[wm][0], w0, h_0_1);
        h_1_1 = fma(Xs[k0].v[wm][1], w0, h_1_1);
        h_0_1 = fma(Xs[k1].v[wm][0], w1, h_0_1);
        h_1_1 = fma(Xs[k1].v[wm][1], w1, h_1_1);
      }
      {
        let nib = (mq[2] >> (sh + 4u)) & 15u;
        let k0 = 4u + (nib & 3u);
        let k1 = 4u + (nib >> 2u);
        let w0 = vec4<f16>(v2[2]);
        let w1 = vec4<f16>(v3[2]);
        h_0_2 = fma(Xs[k0].v[wm][0], w0, h_0_2);
        h_1_2 = fma(Xs[k0].v[wm][1], w0, h_1_2);
        h_0_2 = fma(Xs[k1].v[wm][0], w1, h_0_2);
        h_1_2 = fma(Xs[k1].v[wm][1], w1, h_1_2);
      }
      {
        let nib = (mq[3] >> (sh + 4u)) & 15u;
        let k0 = 4u + (nib & 3u);
        let k1 = 4u + (nib >> 2u);
        let w0 = vec4<f16>(v2[3]);
        let w1 = vec4<f16>(v3[3]);
        h_0_3 = fma(Xs[k0].v[wm][0], w0, h_0_3);
        h_1_3 = fma(Xs[k0].v[wm][1], w0, h_1_3);
        h_0_3 = fma(Xs[k1].v[wm][0], w1, h_0_3);
        h_1_3 = fma(Xs[k1].v[wm][1], w1, h_1_3);
      }
      {
        let nib = (mq[0] >> (sh + 8u)) & 15u;
        let k0 = 8u + (nib & 3u);
        let k1 = 8u + (nib >> 2u);
        let w0 = vec4<f16>(v4[0]);
        let w1 = vec4<f16>(v5[0]);
        h_0_0 = fma(Xs[k0].v[wm][0], w0, h_0_0);
        h_1_0 = fma(Xs[k0].v[wm][1], w0, h_1_0);
        h_0_0 = fma(Xs[k1].v[wm][0], w1, h_0_0);
        h_1_0 = fma(Xs[k1].v[wm][1], w1, h_1_0);
      }
      {
        let nib = (mq[1] >> (sh + 8u)) & 15u;
        let k0 = 8u + (nib & 3u);
        let k1 = 8u + (nib >> 2u);
        let w0 = vec4<f16>(v4[1]);
        let w1 = vec4<f16>(v5[1]);
        h_0_1 = fma(Xs[k0].v[wm][0], w0, h_0_1);
        h_1_1 = fma(Xs[k0].v[wm][1], w0, h_1_1);
        h_0_1 = fma(Xs[k1].v[wm][0], w1, h_0_1);
        h_1_1 = fma(Xs[k1].v[wm][1], w1, h_1_1);
      }
      {
        let nib = (mq[2] >> (sh + 8u)) & 15u;
        let k0 = 8u + (nib & 3u);
        let k1 = 8u + (nib >> 2u);
        let w0 = vec4<f16>(v4[2]);
        let w1 = vec4<f16>(v5[2]);
        h_0_2 = fma(Xs[k0].v[wm][0], w0, h_0_2);
        h_1_2 = fma(Xs[k0].v[wm][1], w0, h_1_2);
        h_0_2 = fma(Xs[k1].v[wm][0], w1, h_0_2);
        h_1_2 = fma(Xs[k1].v[wm][1], w1, h_1_2);
      }
      {
        let nib = (mq[3] >> (sh + 8u)) & 15u;
        let k0 = 8u + (nib & 3u);
        let k1 = 8u + (nib >> 2u);
        let w0 = vec4<f16>(v4[3]);
        let w1 = vec4<f16>(v5[3]);
        h_0_3 = fma(Xs[k0].v[wm][0], w0, h_0_3);
        h_1_3 = fma(Xs[k0].v[wm][1], w0, h_1_3);
        h_0_3 = fma(Xs[k1].v[wm][0], w1, h_0_3);
        h_1_3 = fma(Xs[k1].v[wm][1], w1, h_1_3);
      }
      {
        let nib = (mq[0] >> (sh + 12u)) & 15u;
        let k0 = 12u + (nib & 3u);
        let k1 = 12u + (nib >> 2u);
        let w0 = vec4<f16>(v6[0]);
        let w1 = vec4<f16>(v7[0]);
        h_0_0 = fma(Xs[k0].v[wm][0], w0, h_0_0);
        h_1_0 = fma(Xs[k0].v[wm][1], w0, h_1_0);
        h_0_0 = fma(Xs[k1].v[wm][0], w1, h_0_0);
        h_1_0 = fma(Xs[k1].v[wm][1], w1, h_1_0);
      }
      {
        let nib = (mq[1] >> (sh + 12u)) & 15u;
        let k0 = 12u + (nib & 3u);
        let k1 = 12u + (nib >> 2u);
        let w0 = vec4<f16>(v6[1]);
        let w1 = vec4<f16>(v7[1]);
        h_0_1 = fma(Xs[k0].v[wm][0], w0, h_0_1);
        h_1_1 = fma(Xs[k0].v[wm][1], w0, h_1_1);
        h_0_1 = fma(Xs[k1].v[wm][0], w1, h_0_1);
        h_1_1 = fma(Xs[k1].v[wm][1], w1, h_1_1);
      }
      {
        let nib = (mq[2] >> (sh + 12u)) & 15u;
        let k0 = 12u + (nib & 3u);
        let k1 = 12u + (nib >> 2u);
        let w0 = vec4<f16>(v6[2]);
        let w1 = vec4<f16>(v7[2]);
        h_0_2 = fma(Xs[k0].v[wm][0], w0, h_0_2);
        h_1_2 = fma(Xs[k0].v[wm][1], w0, h_1_2);
        h_0_2 = fma(Xs[k1].v[wm][0], w1, h_0_2);
        h_1_2 = fma(Xs[k1].v[wm][1], w1, h_1_2);
      }
      {
        let nib = (mq[3] >> (sh + 12u)) & 15u;
        let k0 = 12u + (nib & 3u);
        let k1 = 12u + (nib >> 2u);
        let w0 = vec4<f16>(v6[3]);
        let w1 = vec4<f16>(v7[3]);
        h_0_3 = fma(Xs[k0].v[wm][0], w0, h_0_3);
        h_1_3 = fma(Xs[k0].v[wm][1], w0, h_1_3);
        h_0_3 = fma(Xs[k1].v[wm][0], w1, h_0_3);
        h_1_3 = fma(Xs[k1].v[wm][1], w1, h_1_3);
      }
      acc_0_0 = acc_0_0 + vec4<f32>(h_0_0);
      h_0_0 = vec4<f16>(0.0);
      acc_0_1 = acc_0_1 + vec4<f32>(h_0_1);
      h_0_1 = vec4<f16>(0.0);
      acc_0_2 = acc_0_2 + vec4<f32>(h_0_2);
      h_0_2 = vec4<f16>(0.0);
      acc_0_3 = acc_0_3 + vec4<f32>(h_0_3);
      h_0_3 = vec4<f16>(0.0);
      acc_1_0 = acc_1_0 + vec4<f32>(h_1_0);
      h_1_0 = vec4<f16>(0.0);
      acc_1_1 = acc_1_1 + vec4<f32>(h_1_1);
      h_1_1 = vec4<f16>(0.0);
      acc_1_2 = acc_1_2 + vec4<f32>(h_1_2);
      h_1_2 = vec4<f16>(0.0);
      acc_1_3 = acc_1_3 + vec4<f32>(h_1_3);
      h_1_3 = vec4<f16>(0.0);
    }
    workgroupBarrier();
    if (more) {
      {
        let e = lid + 0u;
        let row = e / 4u;
        let kq = e % 4u;
        let rw = row / 8u;
        let rb = (row % 8u) / 4u;
        let part = row % 4u;
        Xs[kq * 4u + 0u].v[rw][rb][part] = f16(lx_0[0]);
        Xs[kq * 4u + 1u].v[rw][rb][part] = f16(lx_0[1]);
        Xs[kq * 4u + 2u].v[rw][rb][part] = f16(lx_0[2]);
        Xs[kq * 4u + 3u].v[rw][rb][part] = f16(lx_0[3]);
      }
    }
    workgroupBarrier();
  }
  {
    let gr = rowBase + wm * 8u + 0u;
    let gc = gc4 * 4u;
    if (gr < M) {
      if (gc + 0u < N) { Y[gr * N + gc + 0u] = f16(acc_0_0[0]); }
      if (gc + 1u < N) { Y[gr * N + gc + 1u] = f16(acc_0_1[0]); }
      if (gc + 2u < N) { Y[gr * N + gc + 2u] = f16(acc_0_2[0]); }
      if (gc + 3u < N) { Y[gr * N + gc + 3u] = f16(acc_0_3[0]); }
    }
  }
  {
    let gr = rowBase + wm * 8u + 1u;
    let gc = gc4 * 4u;
    if (gr < M) {
      if (gc + 0u < N) { Y[gr * N + gc + 0u] = f16(acc_0_0[1]); }
      if (gc + 1u < N) { Y[gr * N + gc + 1u] = f16(acc_0_1[1]); }
      if (gc + 2u < N) { Y[gr * N + gc + 2u] = f16(acc_0_2[1]); }
      if (gc + 3u < N) { Y[gr * N + gc + 3u] = f16(acc_0_3[1]); }
    }
  }
  {
    let gr = rowBase + wm * 8u + 2u;
    let gc = gc4 * 4u;
    if (gr < M) {
      if (gc + 0u < N) { Y[gr * N + gc + 0u] = f16(acc_0_0[2]); }
      if (gc + 1u < N) { Y[gr * N + gc + 1u] = f16(acc_0_1[2]); }
      if (gc + 2u < N) { Y[gr * N + gc + 2u] = f16(acc_0_2[2]); }
      if (gc + 3u < N) { Y[gr * N + gc + 3u] = f16(acc_0_3[2]); }
    }
  }
  {
    let gr = rowBase + wm * 8u + 3u;
    let gc = gc4 * 4u;
    if (gr < M) {
      if (gc + 0u < N) { Y[gr * N + gc + 0u] = f16(acc_0_0[3]); }
      if (gc + 1u < N) { Y[gr * N + gc + 1u] = f16(acc_0_1[3]); }
      if (gc + 2u < N) { Y[gr * N + gc + 2u] = f16(acc_0_2[3]); }
      if (gc + 3u < N) { Y[gr * N + gc + 3u] = f16(acc_0_3[3]); }
    }
  }
  {
    let gr = rowBase + wm * 8u + 4u;
    let gc = gc4 * 4u;
    if (gr < M) {
      if (gc + 0u < N) { Y[gr * N + gc + 0u] = f16(acc_1_0[0]); }
      if (gc + 1u < N) { Y[gr * N + gc + 1u] = f16(acc_1_1[0]); }
      if (gc + 2u < N) { Y[gr * N + gc + 2u] = f16(acc_1_2[0]); }
      if (gc + 3u < N) { Y[gr * N + gc + 3u] = f16(acc_1_3[0]); }
    }
  }
  {
    let gr = rowBase + wm * 8u + 5u;
    let gc = gc4 * 4u;
    if (gr < M) {
      if (gc + 0u < N) { Y[gr * N + gc + 0u] = f16(acc_1_0[1]); }
      if (gc + 1u < N) { Y[gr * N + gc + 1u] = f16(acc_1_1[1]); }
      if (gc + 2u < N) { Y[gr * N + gc + 2u] = f16(acc_1_2[1]); }
      if (gc + 3u < N) { Y[gr * N + gc + 3u] = f16(acc_1_3[1]); }
    }
  }
  {
    let gr = rowBase + wm * 8u + 6u;
    let gc = gc4 * 4u;
    if (gr < M) {
      if (gc + 0u < N) { Y[gr * N + gc + 0u] = f16(acc_1_0[2]); }
      if (gc + 1u < N) { Y[gr * N + gc + 1u] = f16(acc_1_1[2]); }
      if (gc + 2u < N) { Y[gr * N + gc + 2u] = f16(acc_1_2[2]); }
      if (gc + 3u < N) { Y[gr * N + gc + 3u] = f16(acc_1_3[2]); }
    }
  }
  {
    let gr = rowBase + wm * 8u + 7u;
    let gc = gc4 * 4u;
    if (gr < M) {
      if (gc + 0u < N) { Y[gr * N + gc + 0u] = f16(acc_1_0[3]); }
      if (gc + 1u < N) { Y[gr * N + gc + 1u] = f16(acc_1_1[3]); }
      if (gc + 2u < N) { Y[gr * N + gc + 2u] = f16(acc_1_2[3]); }
      if (gc + 3u < N) { Y[gr * N + gc + 3u] = f16(acc_1_3[3]); }
    }
  }
}
