// ==== int4-gemm-f16-2048x4096x4096 ====
enable f16;
// tilebench int4 GEMM 2048x4096x4096 f16 group=128 scales=f16 awq=false tile=64x128x16 thread=4x8 math=f16x2 carry=16 stage=pairs
@group(0) @binding(0) var<storage, read> X: array<vec4<f16>>;
@group(0) @binding(1) var<storage, read> Q: array<u32>;
@group(0) @binding(2) var<storage, read> S: array<u32>;
@group(0) @binding(3) var<storage, read> Z: array<u32>;
@group(0) @binding(4) var<storage, read_write> Y: array<vec4<f16>>;
const M = 2048u;
const KP = 4096u;
const N = 4096u;
const ROWS = 512u;
const RPG = 16u;
const MAGIC = 0x4b000000u;
var<workgroup> As: array<array<vec2<f16>, 4>, 256>;
var<workgroup> Bs: array<array<vec2<f16>, 4>, 256>;

fn ldS(e: u32) -> f32 {
  let v = unpack2x16float(S[e >> 1u]);
  return select(v.x, v.y, (e & 1u) == 1u);
}
fn ldZ(e: u32) -> f32 {
  let v = unpack2x16float(Z[e >> 1u]);
  return select(v.x, v.y, (e & 1u) == 1u);
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let tx = lid % 16u;
  let ty = lid / 16u;
  let rowBase = wid.y * 64u;
  let colBase = wid.x * 128u;
  var acc_0_0 = vec4<f32>(0.0);
  var acc_0_1 = vec4<f32>(0.0);
  var acc_1_0 = vec4<f32>(0.0);
  var acc_1_1 = vec4<f32>(0.0);
  var acc_2_0 = vec4<f32>(0.0);
  var acc_2_1 = vec4<f32>(0.0);
  var acc_3_0 = vec4<f32>(0.0);
  var acc_3_1 = vec4<f32>(0.0);
  var h_0_0 = vec2<f16>(0.0);
  var h_0_1 = vec2<f16>(0.0);
  var h_0_2 = vec2<f16>(0.0);
  var h_0_3 = vec2<f16>(0.0);
  var h_1_0 = vec2<f16>(0.0);
  var h_1_1 = vec2<f16>(0.0);
  var h_1_2 = vec2<f16>(0.0);
  var h_1_3 = vec2<f16>(0.0);
  var h_2_0 = vec2<f16>(0.0);
  var h_2_1 = vec2<f16>(0.0);
  var h_2_2 = vec2<f16>(0.0);
  var h_2_3 = vec2<f16>(0.0);
  var h_3_0 = vec2<f16>(0.0);
  var h_3_1 = vec2<f16>(0.0);
  var h_3_2 = vec2<f16>(0.0);
  var h_3_3 = vec2<f16>(0.0);
  var la_0 = vec4<f32>(0.0);
  var lw_0 = vec2<u32>(0u);
  var ls_0 = vec2<f32>(0.0);
  var lz_0 = vec2<f32>(0.0);
  let numSlabs = 256u;
  {
    let k0 = 0u;
    {
      let e = lid + 0u;
      let gr = rowBase + e / 4u;
      let gk = k0 + (e % 4u) * 4u;
      la_0 = vec4<f32>(0.0);
      if (gr < M && gk < KP) { la_0 = vec4<f32>(X[gr * 1024u + gk / 4u]); }
    }
    {
      let e = lid + 0u;
      let kr = k0 / 8u + e / 64u;
      let gc = colBase + 2u * (e % 64u);
      lw_0 = vec2<u32>(0u);
      ls_0 = vec2<f32>(0.0);
      lz_0 = vec2<f32>(0.0);
      if (lid + 0u < 128u && kr < ROWS && gc < N) {
        let ge = (kr / RPG) * N + gc;
        lw_0.x = Q[kr * N + gc];
        ls_0.x = ldS(ge);
        lz_0.x = ldZ(ge);
        if (gc + 1u < N) {
          lw_0.y = Q[kr * N + gc + 1u];
          ls_0.y = ldS(ge + 1u);
          lz_0.y = ldZ(ge + 1u);
        }
      }
    }
  }
  {
    let e = lid + 0u;
    let row = e / 4u;
    let kq = e % 4u;
    let slot = kq * 64u + row / 4u;
    let lane = row % 4u;
    As[slot + 0u][lane] = vec2<f16>(f16(la_0[0]));
    As[slot + 16u][lane] = vec2<f16>(f16(la_0[1]));
    As[slot + 32u][lane] = vec2<f16>(f16(la_0[2]));
    As[slot + 48u][lane] = vec2<f16>(f16(la_0[3]));
  }
  if (lid + 0u < 128u) {
    let e = lid + 0u;
    let cl = 2u * (e % 64u);
    let c = cl / 4u;
    let el = (e / 64u) * 8u * 16u + c % 16u;
    let p = (c / 16u) * 2u + (cl % 4u) / 2u;
    let cz = lz_0 + vec2<f32>(8388608.0);
    Bs[el + 0u][p] = vec2<f16>((bitcast<vec2<f32>>(((lw_0 >> vec2<u32>(0u)) & vec2<u32>(0xfu)) | vec2<u32>(MAGIC)) - cz) * ls_0);
    Bs[el + 16u][p] = vec2<f16>((bitcast<vec2<f32>>(((lw_0 >> vec2<u32>(4u)) & vec2<u32>(0xfu)) | vec2<u32>(MAGIC)) - cz) * ls_0);
    Bs[el + 32u][p] = vec2<f16>((bitcast<vec2<f32>>(((lw_0 >> vec2<u32>(8u)) & vec2<u32>(0xfu)) | vec2<u32>(MAGIC)) - cz) * ls_0);
    Bs[el + 48u][p] = vec2<f16>((bitcast<vec2<f32>>(((lw_0 >> vec2<u32>(12u)) & vec2<u32>(0xfu)) | vec2<u32>(MAGIC)) - cz) * ls_0);
    Bs[el + 64u][p] = vec2<f16>((bitcast<vec2<f32>>(((lw_0 >> vec2<u32>(16u)) & vec2<u32>(0xfu)) | vec2<u32>(MAGIC)) - cz) * ls_0);
    Bs[el + 80u][p] = vec2<f16>((bitcast<vec2<f32>>(((lw_0 >> vec2<u32>(20u)) & vec2<u32>(0xfu)) | vec2<u32>(MAGIC)) - cz) * ls_0);
    Bs[el + 96u][p] = vec2<f16>((bitcast<vec2<f32>>(((lw_0 >> vec2<u32>(24u)) & vec2<u32>(0xfu)) | vec2<u32>(MAGIC)) - cz) * ls_0);
    Bs[el + 112u][p] = vec2<f16>((bitcast<vec2<f32>>(((lw_0 >> vec2<u32>(28u)) & vec2<u32>(0xfu)) | vec2<u32>(MAGIC)) - cz) * ls_0);
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
        if (gr < M && gk < KP) { la_0 = vec4<f32>(X[gr * 1024u + gk / 4u]); }
      }
      {
        let e = lid + 0u;
        let kr = k0 / 8u + e / 64u;
        let gc = colBase + 2u * (e % 64u);
        lw_0 = vec2<u32>(0u);
        ls_0 = vec2<f32>(0.0);
        lz_0 = vec2<f32>(0.0);
        if (lid + 0u < 128u && kr < ROWS && gc < N) {
          let ge = (kr / RPG) * N + gc;
          lw_0.x = Q[kr * N + gc];
          ls_0.x = ldS(ge);
          lz_0.x = ldZ(ge);
          if (gc + 1u < N) {
            lw_0.y = Q[kr * N + gc + 1u];
            ls_0.y = ldS(ge + 1u);
            lz_0.y = ldZ(ge + 1u);
          }
        }
      }
    }
    {
      let a0 = As[0u + ty + 0u];
      let bp = Bs[0u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_0_2 = fma(a0[0], bp[2], h_0_2);
      h_0_3 = fma(a0[0], bp[3], h_0_3);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_1_2 = fma(a0[1], bp[2], h_1_2);
      h_1_3 = fma(a0[1], bp[3], h_1_3);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_2_2 = fma(a0[2], bp[2], h_2_2);
      h_2_3 = fma(a0[2], bp[3], h_2_3);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
      h_3_2 = fma(a0[3], bp[2], h_3_2);
      h_3_3 = fma(a0[3], bp[3], h_3_3);
    }
    {
      let a0 = As[16u + ty + 0u];
      let bp = Bs[16u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_0_2 = fma(a0[0], bp[2], h_0_2);
      h_0_3 = fma(a0[0], bp[3], h_0_3);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_1_2 = fma(a0[1], bp[2], h_1_2);
      h_1_3 = fma(a0[1], bp[3], h_1_3);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_2_2 = fma(a0[2], bp[2], h_2_2);
      h_2_3 = fma(a0[2], bp[3], h_2_3);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
      h_3_2 = fma(a0[3], bp[2], h_3_2);
      h_3_3 = fma(a0[3], bp[3], h_3_3);
    }
    {
      let a0 = As[32u + ty + 0u];
      let bp = Bs[32u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_0_2 = fma(a0[0], bp[2], h_0_2);
      h_0_3 = fma(a0[0], bp[3], h_0_3);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_1_2 = fma(a0[1], bp[2], h_1_2);
      h_1_3 = fma(a0[1], bp[3], h_1_3);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_2_2 = fma(a0[2], bp[2], h_2_2);
      h_2_3 = fma(a0[2], bp[3], h_2_3);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
      h_3_2 = fma(a0[3], bp[2], h_3_2);
      h_3_3 = fma(a0[3], bp[3], h_3_3);
    }
    {
      let a0 = As[48u + ty + 0u];
      let bp = Bs[48u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_0_2 = fma(a0[0], bp[2], h_0_2);
      h_0_3 = fma(a0[0], bp[3], h_0_3);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_1_2 = fma(a0[1], bp[2], h_1_2);
      h_1_3 = fma(a0[1], bp[3], h_1_3);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_2_2 = fma(a0[2], bp[2], h_2_2);
      h_2_3 = fma(a0[2], bp[3], h_2_3);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
      h_3_2 = fma(a0[3], bp[2], h_3_2);
      h_3_3 = fma(a0[3], bp[3], h_3_3);
    }
    {
      let a0 = As[64u + ty + 0u];
      let bp = Bs[64u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_0_2 = fma(a0[0], bp[2], h_0_2);
      h_0_3 = fma(a0[0], bp[3], h_0_3);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_1_2 = fma(a0[1], bp[2], h_1_2);
      h_1_3 = fma(a0[1], bp[3], h_1_3);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_2_2 = fma(a0[2], bp[2], h_2_2);
      h_2_3 = fma(a0[2], bp[3], h_2_3);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
      h_3_2 = fma(a0[3], bp[2], h_3_2);
      h_3_3 = fma(a0[3], bp[3], h_3_3);
    }
    {
      let a0 = As[80u + ty + 0u];
      let bp = Bs[80u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_0_2 = fma(a0[0], bp[2], h_0_2);
      h_0_3 = fma(a0[0], bp[3], h_0_3);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_1_2 = fma(a0[1], bp[2], h_1_2);
      h_1_3 = fma(a0[1], bp[3], h_1_3);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_2_2 = fma(a0[2], bp[2], h_2_2);
      h_2_3 = fma(a0[2], bp[3], h_2_3);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
      h_3_2 = fma(a0[3], bp[2], h_3_2);
      h_3_3 = fma(a0[3], bp[3], h_3_3);
    }
    {
      let a0 = As[96u + ty + 0u];
      let bp = Bs[96u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_0_2 = fma(a0[0], bp[2], h_0_2);
      h_0_3 = fma(a0[0], bp[3], h_0_3);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_1_2 = fma(a0[1], bp[2], h_1_2);
      h_1_3 = fma(a0[1], bp[3], h_1_3);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_2_2 = fma(a0[2], bp[2], h_2_2);
      h_2_3 = fma(a0[2], bp[3], h_2_3);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
      h_3_2 = fma(a0[3], bp[2], h_3_2);
      h_3_3 = fma(a0[3], bp[3], h_3_3);
    }
    {
      let a0 = As[112u + ty + 0u];
      let bp = Bs[112u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_0_2 = fma(a0[0], bp[2], h_0_2);
      h_0_3 = fma(a0[0], bp[3], h_0_3);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_1_2 = fma(a0[1], bp[2], h_1_2);
      h_1_3 = fma(a0[1], bp[3], h_1_3);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_2_2 = fma(a0[2], bp[2], h_2_2);
      h_2_3 = fma(a0[2], bp[3], h_2_3);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
      h_3_2 = fma(a0[3], bp[2], h_3_2);
      h_3_3 = fma(a0[3], bp[3], h_3_3);
    }
    {
      let a0 = As[128u + ty + 0u];
      let bp = Bs[128u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_0_2 = fma(a0[0], bp[2], h_0_2);
      h_0_3 = fma(a0[0], bp[3], h_0_3);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_1_2 = fma(a0[1], bp[2], h_1_2);
      h_1_3 = fma(a0[1], bp[3], h_1_3);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_2_2 = fma(a0[2], bp[2], h_2_2);
      h_2_3 = fma(a0[2], bp[3], h_2_3);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
      h_3_2 = fma(a0[3], bp[2], h_3_2);
      h_3_3 = fma(a0[3], bp[3], h_3_3);
    }
    {
      let a0 = As[144u + ty + 0u];
      let bp = Bs[144u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_0_2 = fma(a0[0], bp[2], h_0_2);
      h_0_3 = fma(a0[0], bp[3], h_0_3);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_1_2 = fma(a0[1], bp[2], h_1_2);
      h_1_3 = fma(a0[1], bp[3], h_1_3);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_2_2 = fma(a0[2], bp[2], h_2_2);
      h_2_3 = fma(a0[2], bp[3], h_2_3);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
      h_3_2 = fma(a0[3], bp[2], h_3_2);
      h_3_3 = fma(a0[3], bp[3], h_3_3);
    }
    {
      let a0 = As[160u + ty + 0u];
      let bp = Bs[160u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_0_2 = fma(a0[0], bp[2], h_0_2);
      h_0_3 = fma(a0[0], bp[3], h_0_3);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_1_2 = fma(a0[1], bp[2], h_1_2);
      h_1_3 = fma(a0[1], bp[3], h_1_3);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_2_2 = fma(a0[2], bp[2], h_2_2);
      h_2_3 = fma(a0[2], bp[3], h_2_3);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
      h_3_2 = fma(a0[3], bp[2], h_3_2);
      h_3_3 = fma(a0[3], bp[3], h_3_3);
    }
    {
      let a0 = As[176u + ty + 0u];
      let bp = Bs[176u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_0_2 = fma(a0[0], bp[2], h_0_2);
      h_0_3 = fma(a0[0], bp[3], h_0_3);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_1_2 = fma(a0[1], bp[2], h_1_2);
      h_1_3 = fma(a0[1], bp[3], h_1_3);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_2_2 = fma(a0[2], bp[2], h_2_2);
      h_2_3 = fma(a0[2], bp[3], h_2_3);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
      h_3_2 = fma(a0[3], bp[2], h_3_2);
      h_3_3 = fma(a0[3], bp[3], h_3_3);
    }
    {
      let a0 = As[192u + ty + 0u];
      let bp = Bs[192u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_0_2 = fma(a0[0], bp[2], h_0_2);
      h_0_3 = fma(a0[0], bp[3], h_0_3);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_1_2 = fma(a0[1], bp[2], h_1_2);
      h_1_3 = fma(a0[1], bp[3], h_1_3);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_2_2 = fma(a0[2], bp[2], h_2_2);
      h_2_3 = fma(a0[2], bp[3], h_2_3);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
      h_3_2 = fma(a0[3], bp[2], h_3_2);
      h_3_3 = fma(a0[3], bp[3], h_3_3);
    }
    {
      let a0 = As[208u + ty + 0u];
      let bp = Bs[208u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_0_2 = fma(a0[0], bp[2], h_0_2);
      h_0_3 = fma(a0[0], bp[3], h_0_3);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_1_2 = fma(a0[1], bp[2], h_1_2);
      h_1_3 = fma(a0[1], bp[3], h_1_3);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_2_2 = fma(a0[2], bp[2], h_2_2);
      h_2_3 = fma(a0[2], bp[3], h_2_3);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
      h_3_2 = fma(a0[3], bp[2], h_3_2);
      h_3_3 = fma(a0[3], bp[3], h_3_3);
    }
    {
      let a0 = As[224u + ty + 0u];
      let bp = Bs[224u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_0_2 = fma(a0[0], bp[2], h_0_2);
      h_0_3 = fma(a0[0], bp[3], h_0_3);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_1_2 = fma(a0[1], bp[2], h_1_2);
      h_1_3 = fma(a0[1], bp[3], h_1_3);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_2_2 = fma(a0[2], bp[2], h_2_2);
      h_2_3 = fma(a0[2], bp[3], h_2_3);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
      h_3_2 = fma(a0[3], bp[2], h_3_2);
      h_3_3 = fma(a0[3], bp[3], h_3_3);
    }
    {
      let a0 = As[240u + ty + 0u];
      let bp = Bs[240u + tx];
      h_0_0 = fma(a0[0], bp[0], h_0_0);
      h_0_1 = fma(a0[0], bp[1], h_0_1);
      h_0_2 = fma(a0[0], bp[2], h_0_2);
      h_0_3 = fma(a0[0], bp[3], h_0_3);
      h_1_0 = fma(a0[1], bp[0], h_1_0);
      h_1_1 = fma(a0[1], bp[1], h_1_1);
      h_1_2 = fma(a0[1], bp[2], h_1_2);
      h_1_3 = fma(a0[1], bp[3], h_1_3);
      h_2_0 = fma(a0[2], bp[0], h_2_0);
      h_2_1 = fma(a0[2], bp[1], h_2_1);
      h_2_2 = fma(a0[2], bp[2], h_2_2);
      h_2_3 = fma(a0[2], bp[3], h_2_3);
      h_3_0 = fma(a0[3], bp[0], h_3_0);
      h_3_1 = fma(a0[3], bp[1], h_3_1);
      h_3_2 = fma(a0[3], bp[2], h_3_2);
      h_3_3 = fma(a0[3], bp[3], h_3_3);
    }
    acc_0_0 += vec4<f32>(vec2<f32>(h_0_0), vec2<f32>(h_0_1));
    acc_0_1 += vec4<f32>(vec2<f32>(h_0_2), vec2<f32>(h_0_3));
    h_0_0 = vec2<f16>(0.0);
    h_0_1 = vec2<f16>(0.0);
    h_0_2 = vec2<f16>(0.0);
    h_0_3 = vec2<f16>(0.0);
    acc_1_0 += vec4<f32>(vec2<f32>(h_1_0), vec2<f32>(h_1_1));
    acc_1_1 += vec4<f32>(vec2<f32>(h_1_2), vec2<f32>(h_1_3));
    h_1_0 = vec2<f16>(0.0);
    h_1_1 = vec2<f16>(0.0);
    h_1_2 = vec2<f16>(0.0);
    h_1_3 = vec2<f16>(0.0);
    acc_2_0 += vec4<f32>(vec2<f32>(h_2_0), vec2<f32>(h_2_1));
    acc_2_1 += vec4<f32>(vec2<f32>(h_2_2), vec2<f32>(h_2_3));
    h_2_0 = vec2<f16>(0.0);
    h_2_1 = vec2<f16>(0.0);
    h_2_2 = vec2<f16>(0.0);
    h_2_3 = vec2<f16>(0.0);
    acc_3_0 += vec4<f32>(vec2<f32>(h_3_0), vec2<f32>(h_3_1));
    acc_3_1 += vec4<f32>(vec2<f32>(h_3_2), vec2<f32>(h_3_3));
    h_3_0 = vec2<f16>(0.0);
    h_3_1 = vec2<f16>(0.0);
    h_3_2 = vec2<f16>(0.0);
    h_3_3 = vec2<f16>(0.0);
    workgroupBarrier();
    if (more) {
      {
        let e = lid + 0u;
        let row = e / 4u;
        let kq = e % 4u;
        let slot = kq * 64u + row / 4u;
        let lane = row % 4u;
        As[slot + 0u][lane] = vec2<f16>(f16(la_0[0]));
        As[slot + 16u][lane] = vec2<f16>(f16(la_0[1]));
        As[slot + 32u][lane] = vec2<f16>(f16(la_0[2]));
        As[slot + 48u][lane] = vec2<f16>(f16(la_0[3]));
      }
      if (lid + 0u < 128u) {
        let e = lid + 0u;
        let cl = 2u * (e % 64u);
        let c = cl / 4u;
        let el = (e / 64u) * 8u * 16u + c % 16u;
        let p = (c / 16u) * 2u + (cl % 4u) / 2u;
        let cz = lz_0 + vec2<f32>(8388608.0);
        Bs[el + 0u][p] = vec2<f16>((bitcast<vec2<f32>>(((lw_0 >> vec2<u32>(0u)) & vec2<u32>(0xfu)) | vec2<u32>(MAGIC)) - cz) * ls_0);
        Bs[el + 16u][p] = vec2<f16>((bitcast<vec2<f32>>(((lw_0 >> vec2<u32>(4u)) & vec2<u32>(0xfu)) | vec2<u32>(MAGIC)) - cz) * ls_0);
        Bs[el + 32u][p] = vec2<f16>((bitcast<vec2<f32>>(((lw_0 >> vec2<u32>(8u)) & vec2<u32>(0xfu)) | vec2<u32>(MAGIC)) - cz) * ls_0);
        Bs[el + 48u][p] = vec2<f16>((bitcast<vec2<f32>>(((lw_0 >> vec2<u32>(12u)) & vec2<u32>(0xfu)) | vec2<u32>(MAGIC)) - cz) * ls_0);
        Bs[el + 64u][p] = vec2<f16>((bitcast<vec2<f32>>(((lw_0 >> vec2<u32>(16u)) & vec2<u32>(0xfu)) | vec2<u32>(MAGIC)) - cz) * ls_0);
        Bs[el + 80u][p] = vec2<f16>((bitcast<vec2<f32>>(((lw_0 >> vec2<u32>(20u)) & vec2<u32>(0xfu)) | vec2<u32>(MAGIC)) - cz) * ls_0);
        Bs[el + 96u][p] = vec2<f16>((bitcast<vec2<f32>>(((lw_0 >> vec2<u32>(24u)) & vec2<u32>(0xfu)) | vec2<u32>(MAGIC)) - cz) * ls_0);
        Bs[el + 112u][p] = vec2<f16>((bitcast<vec2<f32>>(((lw_0 >> vec2<u32>(28u)) & vec2<u32>(0xfu)) | vec2<u32>(MAGIC)) - cz) * ls_0);
      }
    }
    workgroupBarrier();
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 0u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[gr * 1024u + gc / 4u] = vec4<f16>(acc_0_0); }
      }
      {
        let gc = colBase + (tx + 16u) * 4u;
        if (gc < N) { Y[gr * 1024u + gc / 4u] = vec4<f16>(acc_0_1); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 1u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[gr * 1024u + gc / 4u] = vec4<f16>(acc_1_0); }
      }
      {
        let gc = colBase + (tx + 16u) * 4u;
        if (gc < N) { Y[gr * 1024u + gc / 4u] = vec4<f16>(acc_1_1); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 2u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[gr * 1024u + gc / 4u] = vec4<f16>(acc_2_0); }
      }
      {
        let gc = colBase + (tx + 16u) * 4u;
        if (gc < N) { Y[gr * 1024u + gc / 4u] = vec4<f16>(acc_2_1); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 3u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[gr * 1024u + gc / 4u] = vec4<f16>(acc_3_0); }
      }
      {
        let gc = colBase + (tx + 16u) * 4u;
        if (gc < N) { Y[gr * 1024u + gc / 4u] = vec4<f16>(acc_3_1); }
      }
    }
  }
}
