// ==== int4-gemm-f32-37x100x53 ====
// tilebench int4 GEMM 37x104x53 f32 group=8 scales=f16 awq=false tile=32x64x16 thread=4x4
@group(0) @binding(0) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> Q: array<u32>;
@group(0) @binding(2) var<storage, read> S: array<u32>;
@group(0) @binding(3) var<storage, read> Z: array<u32>;
@group(0) @binding(4) var<storage, read_write> Y: array<f32>;
const M = 37u;
const KP = 104u;
const N = 53u;
const ROWS = 13u;
const RPG = 1u;
const MAGIC = 0x4b000000u;
var<workgroup> As: array<vec4<f32>, 128>;
var<workgroup> Bs: array<vec4<f32>, 256>;

fn ldS(e: u32) -> f32 {
  let v = unpack2x16float(S[e >> 1u]);
  return select(v.x, v.y, (e & 1u) == 1u);
}
fn ldZ(e: u32) -> f32 {
  let v = unpack2x16float(Z[e >> 1u]);
  return select(v.x, v.y, (e & 1u) == 1u);
}

@compute @workgroup_size(128)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let tx = lid % 16u;
  let ty = lid / 16u;
  let rowBase = wid.y * 32u;
  let colBase = wid.x * 64u;
  var acc_0_0 = vec4<f32>(0.0);
  var acc_1_0 = vec4<f32>(0.0);
  var acc_2_0 = vec4<f32>(0.0);
  var acc_3_0 = vec4<f32>(0.0);
  var la_0 = vec4<f32>(0.0);
  var lw_0 = 0u;
  var ls_0 = 0.0;
  var lz_0 = 0.0;
  let numSlabs = 7u;
  {
    let k0 = 0u;
    {
      let e = lid + 0u;
      let gr = rowBase + e / 4u;
      let gk = k0 + (e % 4u) * 4u;
      la_0 = vec4<f32>(0.0);
      if (gr < M && gk < KP) { la_0 = vec4<f32>(X[gr * 26u + gk / 4u]); }
    }
    {
      let e = lid + 0u;
      let kr = k0 / 8u + e / 64u;
      let gc = colBase + e % 64u;
      lw_0 = 0u;
      ls_0 = 0.0;
      lz_0 = 0.0;
      if (kr < ROWS && gc < N) {
        let ge = (kr / RPG) * N + gc;
        lw_0 = Q[kr * N + gc];
        ls_0 = ldS(ge);
        lz_0 = ldZ(ge);
      }
    }
  }
  {
    let e = lid + 0u;
    let row = e / 4u;
    let kq = e % 4u;
    let slot = kq * 32u + row / 4u;
    let lane = row % 4u;
    As[slot + 0u][lane] = la_0[0];
    As[slot + 8u][lane] = la_0[1];
    As[slot + 16u][lane] = la_0[2];
    As[slot + 24u][lane] = la_0[3];
  }
  {
    let e = lid + 0u;
    let j = e / 64u;
    let cl = e % 64u;
    let slot = j * 128u + cl / 4u;
    let lane = cl % 4u;
    let cz = lz_0 + 8388608.0;
    Bs[slot + 0u][lane] = (bitcast<f32>(((lw_0 >> 0u) & 0xfu) | MAGIC) - cz) * ls_0;
    Bs[slot + 16u][lane] = (bitcast<f32>(((lw_0 >> 4u) & 0xfu) | MAGIC) - cz) * ls_0;
    Bs[slot + 32u][lane] = (bitcast<f32>(((lw_0 >> 8u) & 0xfu) | MAGIC) - cz) * ls_0;
    Bs[slot + 48u][lane] = (bitcast<f32>(((lw_0 >> 12u) & 0xfu) | MAGIC) - cz) * ls_0;
    Bs[slot + 64u][lane] = (bitcast<f32>(((lw_0 >> 16u) & 0xfu) | MAGIC) - cz) * ls_0;
    Bs[slot + 80u][lane] = (bitcast<f32>(((lw_0 >> 20u) & 0xfu) | MAGIC) - cz) * ls_0;
    Bs[slot + 96u][lane] = (bitcast<f32>(((lw_0 >> 24u) & 0xfu) | MAGIC) - cz) * ls_0;
    Bs[slot + 112u][lane] = (bitcast<f32>(((lw_0 >> 28u) & 0xfu) | MAGIC) - cz) * ls_0;
  }
  workgroupBarrier();
  for (var t = 0u; t < numSlabs; t++) {
    let k0 = (t + 1u) * 16u;
    let more = t + 1u < numSlabs;
    if (more) {
      {
        let e = lid + 0u;
        let gr = rowBase + e / 4u;
        let gk = k0 + (e % 4u) * 4u;
        la_0 = vec4<f32>(0.0);
        if (gr < M && gk < KP) { la_0 = vec4<f32>(X[gr * 26u + gk / 4u]); }
      }
      {
        let e = lid + 0u;
        let kr = k0 / 8u + e / 64u;
        let gc = colBase + e % 64u;
        lw_0 = 0u;
        ls_0 = 0.0;
        lz_0 = 0.0;
        if (kr < ROWS && gc < N) {
          let ge = (kr / RPG) * N + gc;
          lw_0 = Q[kr * N + gc];
          ls_0 = ldS(ge);
          lz_0 = ldZ(ge);
        }
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
      let a0 = As[8u + ty + 0u];
      let b0 = Bs[16u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[16u + ty + 0u];
      let b0 = Bs[32u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[24u + ty + 0u];
      let b0 = Bs[48u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[32u + ty + 0u];
      let b0 = Bs[64u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[40u + ty + 0u];
      let b0 = Bs[80u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[48u + ty + 0u];
      let b0 = Bs[96u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[56u + ty + 0u];
      let b0 = Bs[112u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[64u + ty + 0u];
      let b0 = Bs[128u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[72u + ty + 0u];
      let b0 = Bs[144u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[80u + ty + 0u];
      let b0 = Bs[160u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[88u + ty + 0u];
      let b0 = Bs[176u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[96u + ty + 0u];
      let b0 = Bs[192u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[104u + ty + 0u];
      let b0 = Bs[208u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[112u + ty + 0u];
      let b0 = Bs[224u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[120u + ty + 0u];
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
        let slot = kq * 32u + row / 4u;
        let lane = row % 4u;
        As[slot + 0u][lane] = la_0[0];
        As[slot + 8u][lane] = la_0[1];
        As[slot + 16u][lane] = la_0[2];
        As[slot + 24u][lane] = la_0[3];
      }
      {
        let e = lid + 0u;
        let j = e / 64u;
        let cl = e % 64u;
        let slot = j * 128u + cl / 4u;
        let lane = cl % 4u;
        let cz = lz_0 + 8388608.0;
        Bs[slot + 0u][lane] = (bitcast<f32>(((lw_0 >> 0u) & 0xfu) | MAGIC) - cz) * ls_0;
        Bs[slot + 16u][lane] = (bitcast<f32>(((lw_0 >> 4u) & 0xfu) | MAGIC) - cz) * ls_0;
        Bs[slot + 32u][lane] = (bitcast<f32>(((lw_0 >> 8u) & 0xfu) | MAGIC) - cz) * ls_0;
        Bs[slot + 48u][lane] = (bitcast<f32>(((lw_0 >> 12u) & 0xfu) | MAGIC) - cz) * ls_0;
        Bs[slot + 64u][lane] = (bitcast<f32>(((lw_0 >> 16u) & 0xfu) | MAGIC) - cz) * ls_0;
        Bs[slot + 80u][lane] = (bitcast<f32>(((lw_0 >> 20u) & 0xfu) | MAGIC) - cz) * ls_0;
        Bs[slot + 96u][lane] = (bitcast<f32>(((lw_0 >> 24u) & 0xfu) | MAGIC) - cz) * ls_0;
        Bs[slot + 112u][lane] = (bitcast<f32>(((lw_0 >> 28u) & 0xfu) | MAGIC) - cz) * ls_0;
      }
    }
    workgroupBarrier();
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 0u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc + 0u < N) { Y[gr * N + gc + 0u] = f32(acc_0_0[0]); }
        if (gc + 1u < N) { Y[gr * N + gc + 1u] = f32(acc_0_0[1]); }
        if (gc + 2u < N) { Y[gr * N + gc + 2u] = f32(acc_0_0[2]); }
        if (gc + 3u < N) { Y[gr * N + gc + 3u] = f32(acc_0_0[3]); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 1u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc + 0u < N) { Y[gr * N + gc + 0u] = f32(acc_1_0[0]); }
        if (gc + 1u < N) { Y[gr * N + gc + 1u] = f32(acc_1_0[1]); }
        if (gc + 2u < N) { Y[gr * N + gc + 2u] = f32(acc_1_0[2]); }
        if (gc + 3u < N) { Y[gr * N + gc + 3u] = f32(acc_1_0[3]); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 2u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc + 0u < N) { Y[gr * N + gc + 0u] = f32(acc_2_0[0]); }
        if (gc + 1u < N) { Y[gr * N + gc + 1u] = f32(acc_2_0[1]); }
        if (gc + 2u < N) { Y[gr * N + gc + 2u] = f32(acc_2_0[2]); }
        if (gc + 3u < N) { Y[gr * N + gc + 3u] = f32(acc_2_0[3]); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 3u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc + 0u < N) { Y[gr * N + gc + 0u] = f32(acc_3_0[0]); }
        if (gc + 1u < N) { Y[gr * N + gc + 1u] = f32(acc_3_0[1]); }
        if (gc + 2u < N) { Y[gr * N + gc + 2u] = f32(acc_3_0[2]); }
        if (gc + 3u < N) { Y[gr * N + gc + 3u] = f32(acc_3_0[3]); }
      }
    }
  }
}
