// ==== sparse24-gemm-f32-128x2048x2048 ====
// tilebench sparse24 GEMM 128x2048x2048 f32 tile=128x64 lane=4x16 warps=4 decode=pair splitK=8
@group(0) @binding(0) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> V: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> Meta: array<vec4<u32>>;
@group(0) @binding(3) var<storage, read_write> Y: array<vec4<f32>>;
const M = 128u;
const K = 2048u;
const N = 2048u;
const NP4 = 512u;
var<workgroup> As: array<vec4<f32>, 512>;
var<workgroup> Vs: array<vec4<f32>, 128>;
var<workgroup> Ms: array<vec4<u32>, 16>;

@compute @workgroup_size(128)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let lane = lid % 32u;
  let warp = lid / 32u;
  let rowBase = wid.y * 128u;
  let col4Base = wid.x * 16u;
  let wq = warp * 4u; // this warp's first column vec4 within the tile
  var acc_0_0 = vec4<f32>(0.0);
  var acc_0_1 = vec4<f32>(0.0);
  var acc_0_2 = vec4<f32>(0.0);
  var acc_0_3 = vec4<f32>(0.0);
  var acc_0_4 = vec4<f32>(0.0);
  var acc_0_5 = vec4<f32>(0.0);
  var acc_0_6 = vec4<f32>(0.0);
  var acc_0_7 = vec4<f32>(0.0);
  var acc_0_8 = vec4<f32>(0.0);
  var acc_0_9 = vec4<f32>(0.0);
  var acc_0_10 = vec4<f32>(0.0);
  var acc_0_11 = vec4<f32>(0.0);
  var acc_0_12 = vec4<f32>(0.0);
  var acc_0_13 = vec4<f32>(0.0);
  var acc_0_14 = vec4<f32>(0.0);
  var acc_0_15 = vec4<f32>(0.0);
  var la_0 = vec4<f32>(0.0);
  var la_1 = vec4<f32>(0.0);
  var la_2 = vec4<f32>(0.0);
  var la_3 = vec4<f32>(0.0);
  var lv_0 = vec4<f32>(0.0);
  var lm = vec4<u32>(0u);
  let sBegin = wid.z * 16u;
  let sEnd = min(sBegin + 16u, 128u);
  {
    let t = sBegin;
    let k0 = t * 16u;
    {
      let e = lid + 0u;
      let gr = rowBase + e / 4u;
      let gk = k0 + (e % 4u) * 4u;
      la_0 = vec4<f32>(0.0);
      if (gr < M && gk < K) { la_0 = vec4<f32>(X[gr * 512u + gk / 4u]); }
    }
    {
      let e = lid + 128u;
      let gr = rowBase + e / 4u;
      let gk = k0 + (e % 4u) * 4u;
      la_1 = vec4<f32>(0.0);
      if (gr < M && gk < K) { la_1 = vec4<f32>(X[gr * 512u + gk / 4u]); }
    }
    {
      let e = lid + 256u;
      let gr = rowBase + e / 4u;
      let gk = k0 + (e % 4u) * 4u;
      la_2 = vec4<f32>(0.0);
      if (gr < M && gk < K) { la_2 = vec4<f32>(X[gr * 512u + gk / 4u]); }
    }
    {
      let e = lid + 384u;
      let gr = rowBase + e / 4u;
      let gk = k0 + (e % 4u) * 4u;
      la_3 = vec4<f32>(0.0);
      if (gr < M && gk < K) { la_3 = vec4<f32>(X[gr * 512u + gk / 4u]); }
    }
    {
      let e = lid + 0u;
      let gc = col4Base + e % 16u;
      lv_0 = vec4<f32>(0.0);
      if (gc < NP4) { lv_0 = vec4<f32>(V[(t * 8u + e / 16u) * NP4 + gc]); }
    }
    lm = vec4<u32>(0u);
    if (lid < 16u && col4Base + lid < NP4) { lm = Meta[(t / 2u) * NP4 + col4Base + lid]; }
  }
  {
    let e = lid + 0u;
    let row = e / 4u;
    let kq = e % 4u;
    let slot = kq * 128u + ((row / 4u) ^ (kq * 2u));
    let part = row % 4u;
    As[slot + 0u][part] = la_0[0];
    As[slot + 32u][part] = la_0[1];
    As[slot + 64u][part] = la_0[2];
    As[slot + 96u][part] = la_0[3];
  }
  {
    let e = lid + 128u;
    let row = e / 4u;
    let kq = e % 4u;
    let slot = kq * 128u + ((row / 4u) ^ (kq * 2u));
    let part = row % 4u;
    As[slot + 0u][part] = la_1[0];
    As[slot + 32u][part] = la_1[1];
    As[slot + 64u][part] = la_1[2];
    As[slot + 96u][part] = la_1[3];
  }
  {
    let e = lid + 256u;
    let row = e / 4u;
    let kq = e % 4u;
    let slot = kq * 128u + ((row / 4u) ^ (kq * 2u));
    let part = row % 4u;
    As[slot + 0u][part] = la_2[0];
    As[slot + 32u][part] = la_2[1];
    As[slot + 64u][part] = la_2[2];
    As[slot + 96u][part] = la_2[3];
  }
  {
    let e = lid + 384u;
    let row = e / 4u;
    let kq = e % 4u;
    let slot = kq * 128u + ((row / 4u) ^ (kq * 2u));
    let part = row % 4u;
    As[slot + 0u][part] = la_3[0];
    As[slot + 32u][part] = la_3[1];
    As[slot + 64u][part] = la_3[2];
    As[slot + 96u][part] = la_3[3];
  }
  { Vs[lid + 0u] = lv_0; }
  if (lid < 16u) { Ms[lid] = lm; }
  workgroupBarrier();
  for (var s = sBegin; s < sEnd; s++) {
    let more = s + 1u < sEnd;
    if (more) {
      let t = s + 1u;
      let k0 = t * 16u;
      {
        let e = lid + 0u;
        let gr = rowBase + e / 4u;
        let gk = k0 + (e % 4u) * 4u;
        la_0 = vec4<f32>(0.0);
        if (gr < M && gk < K) { la_0 = vec4<f32>(X[gr * 512u + gk / 4u]); }
      }
      {
        let e = lid + 128u;
        let gr = rowBase + e / 4u;
        let gk = k0 + (e % 4u) * 4u;
        la_1 = vec4<f32>(0.0);
        if (gr < M && gk < K) { la_1 = vec4<f32>(X[gr * 512u + gk / 4u]); }
      }
      {
        let e = lid + 256u;
        let gr = rowBase + e / 4u;
        let gk = k0 + (e % 4u) * 4u;
        la_2 = vec4<f32>(0.0);
        if (gr < M && gk < K) { la_2 = vec4<f32>(X[gr * 512u + gk / 4u]); }
      }
      {
        let e = lid + 384u;
        let gr = rowBase + e / 4u;
        let gk = k0 + (e % 4u) * 4u;
        la_3 = vec4<f32>(0.0);
        if (gr < M && gk < K) { la_3 = vec4<f32>(X[gr * 512u + gk / 4u]); }
      }
      {
        let e = lid + 0u;
        let gc = col4Base + e % 16u;
        lv_0 = vec4<f32>(0.0);
        if (gc < NP4) { lv_0 = vec4<f32>(V[(t * 8u + e / 16u) * NP4 + gc]); }
      }
      lm = vec4<u32>(0u);
      if (lid < 16u && col4Base + lid < NP4) { lm = Meta[(t / 2u) * NP4 + col4Base + lid]; }
    }
    {
      let t = s;
      let sh0 = (t % 2u) * 16u;
      for (var gg = 0u; gg < 4u; gg++) {
        let sh = sh0 + gg * 4u;
        let lx = lane ^ (gg * 2u);
        let x0_0 = As[(gg * 4u + 0u) * 32u + 0u + lx];
        let x1_0 = As[(gg * 4u + 1u) * 32u + 0u + lx];
        let x2_0 = As[(gg * 4u + 2u) * 32u + 0u + lx];
        let x3_0 = As[(gg * 4u + 3u) * 32u + 0u + lx];
        {
          let v0 = Vs[gg * 32u + wq + 0u];
          let v1 = Vs[gg * 32u + 16u + wq + 0u];
          let mq = Ms[wq + 0u];
          switch ((mq[0] >> sh) & 15u) {
            case 4u: {
              acc_0_0 = fma(x0_0, vec4<f32>(v0[0]), acc_0_0);
              acc_0_0 = fma(x1_0, vec4<f32>(v1[0]), acc_0_0);
            }
            case 8u: {
              acc_0_0 = fma(x2_0, vec4<f32>(v1[0]), acc_0_0);
              acc_0_0 = fma(x0_0, vec4<f32>(v0[0]), acc_0_0);
            }
            case 12u: {
              acc_0_0 = fma(x0_0, vec4<f32>(v0[0]), acc_0_0);
              acc_0_0 = fma(x3_0, vec4<f32>(v1[0]), acc_0_0);
            }
            case 9u: {
              acc_0_0 = fma(x2_0, vec4<f32>(v1[0]), acc_0_0);
              acc_0_0 = fma(x1_0, vec4<f32>(v0[0]), acc_0_0);
            }
            case 13u: {
              acc_0_0 = fma(x1_0, vec4<f32>(v0[0]), acc_0_0);
              acc_0_0 = fma(x3_0, vec4<f32>(v1[0]), acc_0_0);
            }
            case 14u: {
              acc_0_0 = fma(x3_0, vec4<f32>(v1[0]), acc_0_0);
              acc_0_0 = fma(x2_0, vec4<f32>(v0[0]), acc_0_0);
            }
            default: {}
          }
          switch ((mq[1] >> sh) & 15u) {
            case 4u: {
              acc_0_1 = fma(x0_0, vec4<f32>(v0[1]), acc_0_1);
              acc_0_1 = fma(x1_0, vec4<f32>(v1[1]), acc_0_1);
            }
            case 8u: {
              acc_0_1 = fma(x2_0, vec4<f32>(v1[1]), acc_0_1);
              acc_0_1 = fma(x0_0, vec4<f32>(v0[1]), acc_0_1);
            }
            case 12u: {
              acc_0_1 = fma(x0_0, vec4<f32>(v0[1]), acc_0_1);
              acc_0_1 = fma(x3_0, vec4<f32>(v1[1]), acc_0_1);
            }
            case 9u: {
              acc_0_1 = fma(x2_0, vec4<f32>(v1[1]), acc_0_1);
              acc_0_1 = fma(x1_0, vec4<f32>(v0[1]), acc_0_1);
            }
            case 13u: {
              acc_0_1 = fma(x1_0, vec4<f32>(v0[1]), acc_0_1);
              acc_0_1 = fma(x3_0, vec4<f32>(v1[1]), acc_0_1);
            }
            case 14u: {
              acc_0_1 = fma(x3_0, vec4<f32>(v1[1]), acc_0_1);
              acc_0_1 = fma(x2_0, vec4<f32>(v0[1]), acc_0_1);
            }
            default: {}
          }
          switch ((mq[2] >> sh) & 15u) {
            case 4u: {
              acc_0_2 = fma(x0_0, vec4<f32>(v0[2]), acc_0_2);
              acc_0_2 = fma(x1_0, vec4<f32>(v1[2]), acc_0_2);
            }
            case 8u: {
              acc_0_2 = fma(x2_0, vec4<f32>(v1[2]), acc_0_2);
              acc_0_2 = fma(x0_0, vec4<f32>(v0[2]), acc_0_2);
            }
            case 12u: {
              acc_0_2 = fma(x0_0, vec4<f32>(v0[2]), acc_0_2);
              acc_0_2 = fma(x3_0, vec4<f32>(v1[2]), acc_0_2);
            }
            case 9u: {
              acc_0_2 = fma(x2_0, vec4<f32>(v1[2]), acc_0_2);
              acc_0_2 = fma(x1_0, vec4<f32>(v0[2]), acc_0_2);
            }
            case 13u: {
              acc_0_2 = fma(x1_0, vec4<f32>(v0[2]), acc_0_2);
              acc_0_2 = fma(x3_0, vec4<f32>(v1[2]), acc_0_2);
            }
            case 14u: {
              acc_0_2 = fma(x3_0, vec4<f32>(v1[2]), acc_0_2);
              acc_0_2 = fma(x2_0, vec4<f32>(v0[2]), acc_0_2);
            }
            default: {}
          }
          switch ((mq[3] >> sh) & 15u) {
            case 4u: {
              acc_0_3 = fma(x0_0, vec4<f32>(v0[3]), acc_0_3);
              acc_0_3 = fma(x1_0, vec4<f32>(v1[3]), acc_0_3);
            }
            case 8u: {
              acc_0_3 = fma(x2_0, vec4<f32>(v1[3]), acc_0_3);
              acc_0_3 = fma(x0_0, vec4<f32>(v0[3]), acc_0_3);
            }
            case 12u: {
              acc_0_3 = fma(x0_0, vec4<f32>(v0[3]), acc_0_3);
              acc_0_3 = fma(x3_0, vec4<f32>(v1[3]), acc_0_3);
            }
            case 9u: {
              acc_0_3 = fma(x2_0, vec4<f32>(v1[3]), acc_0_3);
              acc_0_3 = fma(x1_0, vec4<f32>(v0[3]), acc_0_3);
            }
            case 13u: {
              acc_0_3 = fma(x1_0, vec4<f32>(v0[3]), acc_0_3);
              acc_0_3 = fma(x3_0, vec4<f32>(v1[3]), acc_0_3);
            }
            case 14u: {
              acc_0_3 = fma(x3_0, vec4<f32>(v1[3]), acc_0_3);
              acc_0_3 = fma(x2_0, vec4<f32>(v0[3]), acc_0_3);
            }
            default: {}
          }
        }
        {
          let v0 = Vs[gg * 32u + wq + 1u];
          let v1 = Vs[gg * 32u + 16u + wq + 1u];
          let mq = Ms[wq + 1u];
          switch ((mq[0] >> sh) & 15u) {
            case 4u: {
              acc_0_4 = fma(x0_0, vec4<f32>(v0[0]), acc_0_4);
              acc_0_4 = fma(x1_0, vec4<f32>(v1[0]), acc_0_4);
            }
            case 8u: {
              acc_0_4 = fma(x2_0, vec4<f32>(v1[0]), acc_0_4);
              acc_0_4 = fma(x0_0, vec4<f32>(v0[0]), acc_0_4);
            }
            case 12u: {
              acc_0_4 = fma(x0_0, vec4<f32>(v0[0]), acc_0_4);
              acc_0_4 = fma(x3_0, vec4<f32>(v1[0]), acc_0_4);
            }
            case 9u: {
              acc_0_4 = fma(x2_0, vec4<f32>(v1[0]), acc_0_4);
              acc_0_4 = fma(x1_0, vec4<f32>(v0[0]), acc_0_4);
            }
            case 13u: {
              acc_0_4 = fma(x1_0, vec4<f32>(v0[0]), acc_0_4);
              acc_0_4 = fma(x3_0, vec4<f32>(v1[0]), acc_0_4);
            }
            case 14u: {
              acc_0_4 = fma(x3_0, vec4<f32>(v1[0]), acc_0_4);
              acc_0_4 = fma(x2_0, vec4<f32>(v0[0]), acc_0_4);
            }
            default: {}
          }
          switch ((mq[1] >> sh) & 15u) {
            case 4u: {
              acc_0_5 = fma(x0_0, vec4<f32>(v0[1]), acc_0_5);
              acc_0_5 = fma(x1_0, vec4<f32>(v1[1]), acc_0_5);
            }
            case 8u: {
              acc_0_5 = fma(x2_0, vec4<f32>(v1[1]), acc_0_5);
              acc_0_5 = fma(x0_0, vec4<f32>(v0[1]), acc_0_5);
            }
            case 12u: {
              acc_0_5 = fma(x0_0, vec4<f32>(v0[1]), acc_0_5);
              acc_0_5 = fma(x3_0, vec4<f32>(v1[1]), acc_0_5);
            }
            case 9u: {
              acc_0_5 = fma(x2_0, vec4<f32>(v1[1]), acc_0_5);
              acc_0_5 = fma(x1_0, vec4<f32>(v0[1]), acc_0_5);
            }
            case 13u: {
              acc_0_5 = fma(x1_0, vec4<f32>(v0[1]), acc_0_5);
              acc_0_5 = fma(x3_0, vec4<f32>(v1[1]), acc_0_5);
            }
            case 14u: {
              acc_0_5 = fma(x3_0, vec4<f32>(v1[1]), acc_0_5);
              acc_0_5 = fma(x2_0, vec4<f32>(v0[1]), acc_0_5);
            }
            default: {}
          }
          switch ((mq[2] >> sh) & 15u) {
            case 4u: {
              acc_0_6 = fma(x0_0, vec4<f32>(v0[2]), acc_0_6);
              acc_0_6 = fma(x1_0, vec4<f32>(v1[2]), acc_0_6);
            }
            case 8u: {
              acc_0_6 = fma(x2_0, vec4<f32>(v1[2]), acc_0_6);
              acc_0_6 = fma(x0_0, vec4<f32>(v0[2]), acc_0_6);
            }
            case 12u: {
              acc_0_6 = fma(x0_0, vec4<f32>(v0[2]), acc_0_6);
              acc_0_6 = fma(x3_0, vec4<f32>(v1[2]), acc_0_6);
            }
            case 9u: {
              acc_0_6 = fma(x2_0, vec4<f32>(v1[2]), acc_0_6);
              acc_0_6 = fma(x1_0, vec4<f32>(v0[2]), acc_0_6);
            }
            case 13u: {
              acc_0_6 = fma(x1_0, vec4<f32>(v0[2]), acc_0_6);
              acc_0_6 = fma(x3_0, vec4<f32>(v1[2]), acc_0_6);
            }
            case 14u: {
              acc_0_6 = fma(x3_0, vec4<f32>(v1[2]), acc_0_6);
              acc_0_6 = fma(x2_0, vec4<f32>(v0[2]), acc_0_6);
            }
            default: {}
          }
          switch ((mq[3] >> sh) & 15u) {
            case 4u: {
              acc_0_7 = fma(x0_0, vec4<f32>(v0[3]), acc_0_7);
              acc_0_7 = fma(x1_0, vec4<f32>(v1[3]), acc_0_7);
            }
            case 8u: {
              acc_0_7 = fma(x2_0, vec4<f32>(v1[3]), acc_0_7);
              acc_0_7 = fma(x0_0, vec4<f32>(v0[3]), acc_0_7);
            }
            case 12u: {
              acc_0_7 = fma(x0_0, vec4<f32>(v0[3]), acc_0_7);
              acc_0_7 = fma(x3_0, vec4<f32>(v1[3]), acc_0_7);
            }
            case 9u: {
              acc_0_7 = fma(x2_0, vec4<f32>(v1[3]), acc_0_7);
              acc_0_7 = fma(x1_0, vec4<f32>(v0[3]), acc_0_7);
            }
            case 13u: {
              acc_0_7 = fma(x1_0, vec4<f32>(v0[3]), acc_0_7);
              acc_0_7 = fma(x3_0, vec4<f32>(v1[3]), acc_0_7);
            }
            case 14u: {
              acc_0_7 = fma(x3_0, vec4<f32>(v1[3]), acc_0_7);
              acc_0_7 = fma(x2_0, vec4<f32>(v0[3]), acc_0_7);
            }
            default: {}
          }
        }
        {
          let v0 = Vs[gg * 32u + wq + 2u];
          let v1 = Vs[gg * 32u + 16u + wq + 2u];
          let mq = Ms[wq + 2u];
          switch ((mq[0] >> sh) & 15u) {
            case 4u: {
              acc_0_8 = fma(x0_0, vec4<f32>(v0[0]), acc_0_8);
              acc_0_8 = fma(x1_0, vec4<f32>(v1[0]), acc_0_8);
            }
            case 8u: {
              acc_0_8 = fma(x2_0, vec4<f32>(v1[0]), acc_0_8);
              acc_0_8 = fma(x0_0, vec4<f32>(v0[0]), acc_0_8);
            }
            case 12u: {
              acc_0_8 = fma(x0_0, vec4<f32>(v0[0]), acc_0_8);
              acc_0_8 = fma(x3_0, vec4<f32>(v1[0]), acc_0_8);
            }
            case 9u: {
              acc_0_8 = fma(x2_0, vec4<f32>(v1[0]), acc_0_8);
              acc_0_8 = fma(x1_0, vec4<f32>(v0[0]), acc_0_8);
            }
            case 13u: {
              acc_0_8 = fma(x1_0, vec4<f32>(v0[0]), acc_0_8);
              acc_0_8 = fma(x3_0, vec4<f32>(v1[0]), acc_0_8);
            }
            case 14u: {
              acc_0_8 = fma(x3_0, vec4<f32>(v1[0]), acc_0_8);
              acc_0_8 = fma(x2_0, vec4<f32>(v0[0]), acc_0_8);
            }
            default: {}
          }
          switch ((mq[1] >> sh) & 15u) {
            case 4u: {
              acc_0_9 = fma(x0_0, vec4<f32>(v0[1]), acc_0_9);
              acc_0_9 = fma(x1_0, vec4<f32>(v1[1]), acc_0_9);
            }
            case 8u: {
              acc_0_9 = fma(x2_0, vec4<f32>(v1[1]), acc_0_9);
              acc_0_9 = fma(x0_0, vec4<f32>(v0[1]), acc_0_9);
            }
            case 12u: {
              acc_0_9 = fma(x0_0, vec4<f32>(v0[1]), acc_0_9);
              acc_0_9 = fma(x3_0, vec4<f32>(v1[1]), acc_0_9);
            }
            case 9u: {
              acc_0_9 = fma(x2_0, vec4<f32>(v1[1]), acc_0_9);
              acc_0_9 = fma(x1_0, vec4<f32>(v0[1]), acc_0_9);
            }
            case 13u: {
              acc_0_9 = fma(x1_0, vec4<f32>(v0[1]), acc_0_9);
              acc_0_9 = fma(x3_0, vec4<f32>(v1[1]), acc_0_9);
            }
            case 14u: {
              acc_0_9 = fma(x3_0, vec4<f32>(v1[1]), acc_0_9);
              acc_0_9 = fma(x2_0, vec4<f32>(v0[1]), acc_0_9);
            }
            default: {}
          }
          switch ((mq[2] >> sh) & 15u) {
            case 4u: {
              acc_0_10 = fma(x0_0, vec4<f32>(v0[2]), acc_0_10);
              acc_0_10 = fma(x1_0, vec4<f32>(v1[2]), acc_0_10);
            }
            case 8u: {
              acc_0_10 = fma(x2_0, vec4<f32>(v1[2]), acc_0_10);
              acc_0_10 = fma(x0_0, vec4<f32>(v0[2]), acc_0_10);
            }
            case 12u: {
              acc_0_10 = fma(x0_0, vec4<f32>(v0[2]), acc_0_10);
              acc_0_10 = fma(x3_0, vec4<f32>(v1[2]), acc_0_10);
            }
            case 9u: {
              acc_0_10 = fma(x2_0, vec4<f32>(v1[2]), acc_0_10);
              acc_0_10 = fma(x1_0, vec4<f32>(v0[2]), acc_0_10);
            }
            case 13u: {
              acc_0_10 = fma(x1_0, vec4<f32>(v0[2]), acc_0_10);
              acc_0_10 = fma(x3_0, vec4<f32>(v1[2]), acc_0_10);
            }
            case 14u: {
              acc_0_10 = fma(x3_0, vec4<f32>(v1[2]), acc_0_10);
              acc_0_10 = fma(x2_0, vec4<f32>(v0[2]), acc_0_10);
            }
            default: {}
          }
          switch ((mq[3] >> sh) & 15u) {
            case 4u: {
              acc_0_11 = fma(x0_0, vec4<f32>(v0[3]), acc_0_11);
              acc_0_11 = fma(x1_0, vec4<f32>(v1[3]), acc_0_11);
            }
            case 8u: {
              acc_0_11 = fma(x2_0, vec4<f32>(v1[3]), acc_0_11);
              acc_0_11 = fma(x0_0, vec4<f32>(v0[3]), acc_0_11);
            }
            case 12u: {
              acc_0_11 = fma(x0_0, vec4<f32>(v0[3]), acc_0_11);
              acc_0_11 = fma(x3_0, vec4<f32>(v1[3]), acc_0_11);
            }
            case 9u: {
              acc_0_11 = fma(x2_0, vec4<f32>(v1[3]), acc_0_11);
              acc_0_11 = fma(x1_0, vec4<f32>(v0[3]), acc_0_11);
            }
            case 13u: {
              acc_0_11 = fma(x1_0, vec4<f32>(v0[3]), acc_0_11);
              acc_0_11 = fma(x3_0, vec4<f32>(v1[3]), acc_0_11);
            }
            case 14u: {
              acc_0_11 = fma(x3_0, vec4<f32>(v1[3]), acc_0_11);
              acc_0_11 = fma(x2_0, vec4<f32>(v0[3]), acc_0_11);
            }
            default: {}
          }
        }
        {
          let v0 = Vs[gg * 32u + wq + 3u];
          let v1 = Vs[gg * 32u + 16u + wq + 3u];
          let mq = Ms[wq + 3u];
          switch ((mq[0] >> sh) & 15u) {
            case 4u: {
              acc_0_12 = fma(x0_0, vec4<f32>(v0[0]), acc_0_12);
              acc_0_12 = fma(x1_0, vec4<f32>(v1[0]), acc_0_12);
            }
            case 8u: {
              acc_0_12 = fma(x2_0, vec4<f32>(v1[0]), acc_0_12);
              acc_0_12 = fma(x0_0, vec4<f32>(v0[0]), acc_0_12);
            }
            case 12u: {
              acc_0_12 = fma(x0_0, vec4<f32>(v0[0]), acc_0_12);
              acc_0_12 = fma(x3_0, vec4<f32>(v1[0]), acc_0_12);
            }
            case 9u: {
              acc_0_12 = fma(x2_0, vec4<f32>(v1[0]), acc_0_12);
              acc_0_12 = fma(x1_0, vec4<f32>(v0[0]), acc_0_12);
            }
            case 13u: {
              acc_0_12 = fma(x1_0, vec4<f32>(v0[0]), acc_0_12);
              acc_0_12 = fma(x3_0, vec4<f32>(v1[0]), acc_0_12);
            }
            case 14u: {
              acc_0_12 = fma(x3_0, vec4<f32>(v1[0]), acc_0_12);
              acc_0_12 = fma(x2_0, vec4<f32>(v0[0]), acc_0_12);
            }
            default: {}
          }
          switch ((mq[1] >> sh) & 15u) {
            case 4u: {
              acc_0_13 = fma(x0_0, vec4<f32>(v0[1]), acc_0_13);
              acc_0_13 = fma(x1_0, vec4<f32>(v1[1]), acc_0_13);
            }
            case 8u: {
              acc_0_13 = fma(x2_0, vec4<f32>(v1[1]), acc_0_13);
              acc_0_13 = fma(x0_0, vec4<f32>(v0[1]), acc_0_13);
            }
            case 12u: {
              acc_0_13 = fma(x0_0, vec4<f32>(v0[1]), acc_0_13);
              acc_0_13 = fma(x3_0, vec4<f32>(v1[1]), acc_0_13);
            }
            case 9u: {
              acc_0_13 = fma(x2_0, vec4<f32>(v1[1]), acc_0_13);
              acc_0_13 = fma(x1_0, vec4<f32>(v0[1]), acc_0_13);
            }
            case 13u: {
              acc_0_13 = fma(x1_0, vec4<f32>(v0[1]), acc_0_13);
              acc_0_13 = fma(x3_0, vec4<f32>(v1[1]), acc_0_13);
            }
            case 14u: {
              acc_0_13 = fma(x3_0, vec4<f32>(v1[1]), acc_0_13);
              acc_0_13 = fma(x2_0, vec4<f32>(v0[1]), acc_0_13);
            }
            default: {}
          }
          switch ((mq[2] >> sh) & 15u) {
            case 4u: {
              acc_0_14 = fma(x0_0, vec4<f32>(v0[2]), acc_0_14);
              acc_0_14 = fma(x1_0, vec4<f32>(v1[2]), acc_0_14);
            }
            case 8u: {
              acc_0_14 = fma(x2_0, vec4<f32>(v1[2]), acc_0_14);
              acc_0_14 = fma(x0_0, vec4<f32>(v0[2]), acc_0_14);
            }
            case 12u: {
              acc_0_14 = fma(x0_0, vec4<f32>(v0[2]), acc_0_14);
              acc_0_14 = fma(x3_0, vec4<f32>(v1[2]), acc_0_14);
            }
            case 9u: {
              acc_0_14 = fma(x2_0, vec4<f32>(v1[2]), acc_0_14);
              acc_0_14 = fma(x1_0, vec4<f32>(v0[2]), acc_0_14);
            }
            case 13u: {
              acc_0_14 = fma(x1_0, vec4<f32>(v0[2]), acc_0_14);
              acc_0_14 = fma(x3_0, vec4<f32>(v1[2]), acc_0_14);
            }
            case 14u: {
              acc_0_14 = fma(x3_0, vec4<f32>(v1[2]), acc_0_14);
              acc_0_14 = fma(x2_0, vec4<f32>(v0[2]), acc_0_14);
            }
            default: {}
          }
          switch ((mq[3] >> sh) & 15u) {
            case 4u: {
              acc_0_15 = fma(x0_0, vec4<f32>(v0[3]), acc_0_15);
              acc_0_15 = fma(x1_0, vec4<f32>(v1[3]), acc_0_15);
            }
            case 8u: {
              acc_0_15 = fma(x2_0, vec4<f32>(v1[3]), acc_0_15);
              acc_0_15 = fma(x0_0, vec4<f32>(v0[3]), acc_0_15);
            }
            case 12u: {
              acc_0_15 = fma(x0_0, vec4<f32>(v0[3]), acc_0_15);
              acc_0_15 = fma(x3_0, vec4<f32>(v1[3]), acc_0_15);
            }
            case 9u: {
              acc_0_15 = fma(x2_0, vec4<f32>(v1[3]), acc_0_15);
              acc_0_15 = fma(x1_0, vec4<f32>(v0[3]), acc_0_15);
            }
            case 13u: {
              acc_0_15 = fma(x1_0, vec4<f32>(v0[3]), acc_0_15);
              acc_0_15 = fma(x3_0, vec4<f32>(v1[3]), acc_0_15);
            }
            case 14u: {
              acc_0_15 = fma(x3_0, vec4<f32>(v1[3]), acc_0_15);
              acc_0_15 = fma(x2_0, vec4<f32>(v0[3]), acc_0_15);
            }
            default: {}
          }
        }
      }
    }
    workgroupBarrier();
    if (more) {
      {
        let e = lid + 0u;
        let row = e / 4u;
        let kq = e % 4u;
        let slot = kq * 128u + ((row / 4u) ^ (kq * 2u));
        let part = row % 4u;
        As[slot + 0u][part] = la_0[0];
        As[slot + 32u][part] = la_0[1];
        As[slot + 64u][part] = la_0[2];
        As[slot + 96u][part] = la_0[3];
      }
      {
        let e = lid + 128u;
        let row = e / 4u;
        let kq = e % 4u;
        let slot = kq * 128u + ((row / 4u) ^ (kq * 2u));
        let part = row % 4u;
        As[slot + 0u][part] = la_1[0];
        As[slot + 32u][part] = la_1[1];
        As[slot + 64u][part] = la_1[2];
        As[slot + 96u][part] = la_1[3];
      }
      {
        let e = lid + 256u;
        let row = e / 4u;
        let kq = e % 4u;
        let slot = kq * 128u + ((row / 4u) ^ (kq * 2u));
        let part = row % 4u;
        As[slot + 0u][part] = la_2[0];
        As[slot + 32u][part] = la_2[1];
        As[slot + 64u][part] = la_2[2];
        As[slot + 96u][part] = la_2[3];
      }
      {
        let e = lid + 384u;
        let row = e / 4u;
        let kq = e % 4u;
        let slot = kq * 128u + ((row / 4u) ^ (kq * 2u));
        let part = row % 4u;
        As[slot + 0u][part] = la_3[0];
        As[slot + 32u][part] = la_3[1];
        As[slot + 64u][part] = la_3[2];
        As[slot + 96u][part] = la_3[3];
      }
      { Vs[lid + 0u] = lv_0; }
      if (lid < 16u) { Ms[lid] = lm; }
    }
    workgroupBarrier();
  }
  {
    let gr = rowBase + (0u + lane) * 4u + 0u;
    if (gr < M) {
      {
        let gc = (col4Base + wq + 0u) * 4u;
        if (gc < N) { Y[wid.z * 65536u + gr * 512u + gc / 4u] = vec4<f32>(vec4<f32>(acc_0_0[0], acc_0_1[0], acc_0_2[0], acc_0_3[0])); }
      }
      {
        let gc = (col4Base + wq + 1u) * 4u;
        if (gc < N) { Y[wid.z * 65536u + gr * 512u + gc / 4u] = vec4<f32>(vec4<f32>(acc_0_4[0], acc_0_5[0], acc_0_6[0], acc_0_7[0])); }
      }
      {
        let gc = (col4Base + wq + 2u) * 4u;
        if (gc < N) { Y[wid.z * 65536u + gr * 512u + gc / 4u] = vec4<f32>(vec4<f32>(acc_0_8[0], acc_0_9[0], acc_0_10[0], acc_0_11[0])); }
      }
      {
        let gc = (col4Base + wq + 3u) * 4u;
        if (gc < N) { Y[wid.z * 65536u + gr * 512u + gc / 4u] = vec4<f32>(vec4<f32>(acc_0_12[0], acc_0_13[0], acc_0_14[0], acc_0_15[0])); }
      }
    }
  }
  {
    let gr = rowBase + (0u + lane) * 4u + 1u;
    if (gr < M) {
      {
        let gc = (col4Base + wq + 0u) * 4u;
        if (gc < N) { Y[wid.z * 65536u + gr * 512u + gc / 4u] = vec4<f32>(vec4<f32>(acc_0_0[1], acc_0_1[1], acc_0_2[1], acc_0_3[1])); }
      }
      {
        let gc = (col4Base + wq + 1u) * 4u;
        if (gc < N) { Y[wid.z * 65536u + gr * 512u + gc / 4u] = vec4<f32>(vec4<f32>(acc_0_4[1], acc_0_5[1], acc_0_6[1], acc_0_7[1])); }
      }
      {
        let gc = (col4Base + wq + 2u) * 4u;
        if (gc < N) { Y[wid.z * 65536u + gr * 512u + gc / 4u] = vec4<f32>(vec4<f32>(acc_0_8[1], acc_0_9[1], acc_0_10[1], acc_0_11[1])); }
      }
      {
        let gc = (col4Base + wq + 3u) * 4u;
        if (gc < N) { Y[wid.z * 65536u + gr * 512u + gc / 4u] = vec4<f32>(vec4<f32>(acc_0_12[1], acc_0_13[1], acc_0_14[1], acc_0_15[1])); }
      }
    }
  }
  {
    let gr = rowBase + (0u + lane) * 4u + 2u;
    if (gr < M) {
      {
        let gc = (col4Base + wq + 0u) * 4u;
        if (gc < N) { Y[wid.z * 65536u + gr * 512u + gc / 4u] = vec4<f32>(vec4<f32>(acc_0_0[2], acc_0_1[2], acc_0_2[2], acc_0_3[2])); }
      }
      {
        let gc = (col4Base + wq + 1u) * 4u;
        if (gc < N) { Y[wid.z * 65536u + gr * 512u + gc / 4u] = vec4<f32>(vec4<f32>(acc_0_4[2], acc_0_5[2], acc_0_6[2], acc_0_7[2])); }
      }
      {
        let gc = (col4Base + wq + 2u) * 4u;
        if (gc < N) { Y[wid.z * 65536u + gr * 512u + gc / 4u] = vec4<f32>(vec4<f32>(acc_0_8[2], acc_0_9[2], acc_0_10[2], acc_0_11[2])); }
      }
      {
        let gc = (col4Base + wq + 3u) * 4u;
        if (gc < N) { Y[wid.z * 65536u + gr * 512u + gc / 4u] = vec4<f32>(vec4<f32>(acc_0_12[2], acc_0_13[2], acc_0_14[2], acc_0_15[2])); }
      }
    }
  }
  {
    let gr = rowBase + (0u + lane) * 4u + 3u;
    if (gr < M) {
      {
        let gc = (col4Base + wq + 0u) * 4u;
        if (gc < N) { Y[wid.z * 65536u + gr * 512u + gc / 4u] = vec4<f32>(vec4<f32>(acc_0_0[3], acc_0_1[3], acc_0_2[3], acc_0_3[3])); }
      }
      {
        let gc = (col4Base + wq + 1u) * 4u;
        if (gc < N) { Y[wid.z * 65536u + gr * 512u + gc / 4u] = vec4<f32>(vec4<f32>(acc_0_4[3], acc_0_5[3], acc_0_6[3], acc_0_7[3])); }
      }
      {
        let gc = (col4Base + wq + 2u) * 4u;
        if (gc < N) { Y[wid.z * 65536u + gr * 512u + gc / 4u] = vec4<f32>(vec4<f32>(acc_0_8[3], acc_0_9[3], acc_0_10[3], acc_0_11[3])); }
      }
      {
        let gc = (col4Base + wq + 3u) * 4u;
        if (gc < N) { Y[wid.z * 65536u + gr * 512u + gc / 4u] = vec4<f32>(vec4<f32>(acc_0_12[3], acc_0_13[3], acc_0_14[3], acc_0_15[3])); }
      }
    }
  }
}
// ==== sparse24:splitk-reduce ====
// tilebench split-K reduce count=262144 batch=1 splitK=8 f32 vec=true
@group(0) @binding(0) var<storage, read> P: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> Y: array<vec4<f32>>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * nwg.x * 256u;
  if (idx >= 65536u) { return; }
  let b = idx / 65536u;
  let i = idx % 65536u;
  let base = b * 524288u + i;
  var s = P[base];
  s = s + P[base + 65536u];
  s = s + P[base + 131072u];
  s = s + P[base + 196608u];
  s = s + P[base + 262144u];
  s = s + P[base + 327680u];
  s = s + P[base + 393216u];
  s = s + P[base + 458752u];
  Y[b * 65536u + i] = vec4<f32>(s);
}
