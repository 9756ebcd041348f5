// ==== int4-gemm-f16-16x4096x14336 ====
enable f16;
// tilebench int4 GEMM 16x4096x14336 f16 group=128 scales=f16 awq=false tile=16x64x16 thread=4x4 splitK=4
@group(0) @binding(0) var<storage, read> X: array<vec4<f16>>;
@group(0) @binding(1) var<storage, read> Q: array<u32>;
@group(0) @binding(2) var<storage, read> S: array<u32>;
@group(0) @binding(3) var<storage, read> Z: array<u32>;
@group(0) @binding(4) var<storage, read_write> Y: array<vec4<f32>>;
const M = 16u;
const KP = 4096u;
const N = 14336u;
const ROWS = 512u;
const RPG = 16u;
const MAGIC = 0x4b000000u;
var<workgroup> As: array<vec4<f32>, 64>;
var<workgroup> Bs: array<vec4<f32>, 256>;

fn ldS(e: u32) -> f32 {
  let v = unpack2x16float(S[e >> 1u]);
  return select(v.x, v.y, (e & 1u) == 1u);
}
fn ldZ(e: u32) -> f32 {
  let v = unpack2x16float(Z[e >> 1u]);
  return select(v.x, v.y, (e & 1u) == 1u);
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let tx = lid % 16u;
  let ty = lid / 16u;
  let rowBase = wid.y * 16u;
  let colBase = wid.x * 64u;
  let kBase = wid.z * 1024u;
  let yOff = wid.z * 57344u;
  var acc_0_0 = vec4<f32>(0.0);
  var acc_1_0 = vec4<f32>(0.0);
  var acc_2_0 = vec4<f32>(0.0);
  var acc_3_0 = vec4<f32>(0.0);
  var la_0 = vec4<f32>(0.0);
  var lw_0 = 0u;
  var ls_0 = 0.0;
  var lz_0 = 0.0;
  var lw_1 = 0u;
  var ls_1 = 0.0;
  var lz_1 = 0.0;
  let numSlabs = 64u;
  {
    let k0 = kBase;
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
    {
      let e = lid + 64u;
      let kr = k0 / 8u + e / 64u;
      let gc = colBase + e % 64u;
      lw_1 = 0u;
      ls_1 = 0.0;
      lz_1 = 0.0;
      if (kr < ROWS && gc < N) {
        let ge = (kr / RPG) * N + gc;
        lw_1 = Q[kr * N + gc];
        ls_1 = ldS(ge);
        lz_1 = ldZ(ge);
      }
    }
  }
  {
    let e = lid + 0u;
    let row = e / 4u;
    let kq = e % 4u;
    let slot = kq * 16u + row / 4u;
    let lane = row % 4u;
    As[slot + 0u][lane] = la_0[0];
    As[slot + 4u][lane] = la_0[1];
    As[slot + 8u][lane] = la_0[2];
    As[slot + 12u][lane] = la_0[3];
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
  {
    let e = lid + 64u;
    let j = e / 64u;
    let cl = e % 64u;
    let slot = j * 128u + cl / 4u;
    let lane = cl % 4u;
    let cz = lz_1 + 8388608.0;
    Bs[slot + 0u][lane] = (bitcast<f32>(((lw_1 >> 0u) & 0xfu) | MAGIC) - cz) * ls_1;
    Bs[slot + 16u][lane] = (bitcast<f32>(((lw_1 >> 4u) & 0xfu) | MAGIC) - cz) * ls_1;
    Bs[slot + 32u][lane] = (bitcast<f32>(((lw_1 >> 8u) & 0xfu) | MAGIC) - cz) * ls_1;
    Bs[slot + 48u][lane] = (bitcast<f32>(((lw_1 >> 12u) & 0xfu) | MAGIC) - cz) * ls_1;
    Bs[slot + 64u][lane] = (bitcast<f32>(((lw_1 >> 16u) & 0xfu) | MAGIC) - cz) * ls_1;
    Bs[slot + 80u][lane] = (bitcast<f32>(((lw_1 >> 20u) & 0xfu) | MAGIC) - cz) * ls_1;
    Bs[slot + 96u][lane] = (bitcast<f32>(((lw_1 >> 24u) & 0xfu) | MAGIC) - cz) * ls_1;
    Bs[slot + 112u][lane] = (bitcast<f32>(((lw_1 >> 28u) & 0xfu) | MAGIC) - cz) * ls_1;
  }
  workgroupBarrier();
  for (var t = 0u; t < numSlabs; t++) {
    let k0 = kBase + (t + 1u) * 16u;
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
      {
        let e = lid + 64u;
        let kr = k0 / 8u + e / 64u;
        let gc = colBase + e % 64u;
        lw_1 = 0u;
        ls_1 = 0.0;
        lz_1 = 0.0;
        if (kr < ROWS && gc < N) {
          let ge = (kr / RPG) * N + gc;
          lw_1 = Q[kr * N + gc];
          ls_1 = ldS(ge);
          lz_1 = ldZ(ge);
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
      let a0 = As[4u + ty + 0u];
      let b0 = Bs[16u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[8u + ty + 0u];
      let b0 = Bs[32u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[12u + ty + 0u];
      let b0 = Bs[48u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[16u + ty + 0u];
      let b0 = Bs[64u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[20u + ty + 0u];
      let b0 = Bs[80u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[24u + ty + 0u];
      let b0 = Bs[96u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[28u + ty + 0u];
      let b0 = Bs[112u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[32u + ty + 0u];
      let b0 = Bs[128u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[36u + ty + 0u];
      let b0 = Bs[144u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[40u + ty + 0u];
      let b0 = Bs[160u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[44u + ty + 0u];
      let b0 = Bs[176u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[48u + ty + 0u];
      let b0 = Bs[192u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[52u + ty + 0u];
      let b0 = Bs[208u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[56u + ty + 0u];
      let b0 = Bs[224u + tx + 0u];
      acc_0_0 = fma(vec4<f32>(a0[0]), b0, acc_0_0);
      acc_1_0 = fma(vec4<f32>(a0[1]), b0, acc_1_0);
      acc_2_0 = fma(vec4<f32>(a0[2]), b0, acc_2_0);
      acc_3_0 = fma(vec4<f32>(a0[3]), b0, acc_3_0);
    }
    {
      let a0 = As[60u + ty + 0u];
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
        let slot = kq * 16u + row / 4u;
        let lane = row % 4u;
        As[slot + 0u][lane] = la_0[0];
        As[slot + 4u][lane] = la_0[1];
        As[slot + 8u][lane] = la_0[2];
        As[slot + 12u][lane] = la_0[3];
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
      {
        let e = lid + 64u;
        let j = e / 64u;
        let cl = e % 64u;
        let slot = j * 128u + cl / 4u;
        let lane = cl % 4u;
        let cz = lz_1 + 8388608.0;
        Bs[slot + 0u][lane] = (bitcast<f32>(((lw_1 >> 0u) & 0xfu) | MAGIC) - cz) * ls_1;
        Bs[slot + 16u][lane] = (bitcast<f32>(((lw_1 >> 4u) & 0xfu) | MAGIC) - cz) * ls_1;
        Bs[slot + 32u][lane] = (bitcast<f32>(((lw_1 >> 8u) & 0xfu) | MAGIC) - cz) * ls_1;
        Bs[slot + 48u][lane] = (bitcast<f32>(((lw_1 >> 12u) & 0xfu) | MAGIC) - cz) * ls_1;
        Bs[slot + 64u][lane] = (bitcast<f32>(((lw_1 >> 16u) & 0xfu) | MAGIC) - cz) * ls_1;
        Bs[slot + 80u][lane] = (bitcast<f32>(((lw_1 >> 20u) & 0xfu) | MAGIC) - cz) * ls_1;
        Bs[slot + 96u][lane] = (bitcast<f32>(((lw_1 >> 24u) & 0xfu) | MAGIC) - cz) * ls_1;
        Bs[slot + 112u][lane] = (bitcast<f32>(((lw_1 >> 28u) & 0xfu) | MAGIC) - cz) * ls_1;
      }
    }
    workgroupBarrier();
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 0u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 3584u + gc / 4u] = vec4<f32>(acc_0_0); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 1u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 3584u + gc / 4u] = vec4<f32>(acc_1_0); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 2u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 3584u + gc / 4u] = vec4<f32>(acc_2_0); }
      }
    }
  }
  {
    let gr = rowBase + (ty + 0u) * 4u + 3u;
    if (gr < M) {
      {
        let gc = colBase + (tx + 0u) * 4u;
        if (gc < N) { Y[yOff + gr * 3584u + gc / 4u] = vec4<f32>(acc_3_0); }
      }
    }
  }
}
// ==== int4:splitk-reduce ====
enable f16;
// tilebench split-K reduce count=229376 batch=1 splitK=4 f16 vec=true
@group(0) @binding(0) var<storage, read> P: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> Y: array<vec4<f16>>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * nwg.x * 256u;
  if (idx >= 57344u) { return; }
  let b = idx / 57344u;
  let i = idx % 57344u;
  let base = b * 229376u + i;
  var s = P[base];
  s = s + P[base + 57344u];
  s = s + P[base + 114688u];
  s = s + P[base + 172032u];
  Y[b * 57344u + i] = vec4<f16>(s);
}
