// ==== int4-gemv-f16-16x4096x4096 ====
enable f16;
// tilebench int4 GEMV 16x4096x4096 f16 group=128 scales=f16 awq=true cpt=4 cols=4 slices=32 unroll=1 prescale=false accs=1 math=f32 fanIn=8
@group(0) @binding(0) var<storage, read> X: array<vec4<f16>>;
@group(0) @binding(1) var<storage, read> Q: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read> S: array<u32>;
@group(0) @binding(3) var<storage, read> Z: array<u32>;
@group(0) @binding(4) var<storage, read_write> Y: array<vec4<f16>>;
@group(0) @binding(5) var<storage, read> XS: array<vec4<f32>>;
const ROWS = 512u;
const N = 4096u;
const NQ = 1024u;
const KV = 1024u;
const RPG = 16u;
const RPT = 16u;
var<workgroup> red: array<vec4<f32>, 1024>;

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
  let c = lid % 4u;
  let s = lid / 4u;
  let col = (wid.x * 4u + c) * 4u;
  let live = col < N;
  let qc = col / 4u;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  var acc4 = vec4<f32>(0.0);
  var acc5 = vec4<f32>(0.0);
  var acc6 = vec4<f32>(0.0);
  var acc7 = vec4<f32>(0.0);
  var acc8 = vec4<f32>(0.0);
  var acc9 = vec4<f32>(0.0);
  var acc10 = vec4<f32>(0.0);
  var acc11 = vec4<f32>(0.0);
  var acc12 = vec4<f32>(0.0);
  var acc13 = vec4<f32>(0.0);
  var acc14 = vec4<f32>(0.0);
  var acc15 = vec4<f32>(0.0);
  if (live) {
    let rBegin = s * RPT;
    let rEnd = min(rBegin + RPT, ROWS);
    if (rBegin < rEnd) {
      var kr = rBegin;
      var q0 = Q[(kr + 0u) * NQ + qc];
      let e = (kr / RPG) * N + col;
      let sc = vec4<f32>(ldS(e + 0u), ldS(e + 1u), ldS(e + 2u), ldS(e + 3u));
      let nzc = vec4<f32>(ldZ(e + 0u), ldZ(e + 1u), ldZ(e + 2u), ldZ(e + 3u));
      let c0 = fma(nzc, vec4<f32>(1.0), vec4<f32>(8388608.0));
      let s0 = sc * vec4<f32>(1.0);
      let c4 = fma(nzc, vec4<f32>(16.0), vec4<f32>(8388608.0));
      let s4 = sc * vec4<f32>(0.0625);
      let c8 = fma(nzc, vec4<f32>(256.0), vec4<f32>(8388608.0));
      let s8 = sc * vec4<f32>(0.00390625);
      let c12 = fma(nzc, vec4<f32>(4096.0), vec4<f32>(8388608.0));
      let s12 = sc * vec4<f32>(0.000244140625);
      let c16 = fma(nzc, vec4<f32>(65536.0), vec4<f32>(8388608.0));
      let s16 = sc * vec4<f32>(0.0000152587890625);
      loop {
        let w0 = q0;
        let kn = kr + 1u;
        if (kn < rEnd) {
          q0 = Q[(kn + 0u) * NQ + qc];
        }
        {
          let h = w0 >> vec4<u32>(12u);
          let t0 = (bitcast<vec4<f32>>((w0 & vec4<u32>(0xfu)) | vec4<u32>(0x4b000000u)) - c0) * s0;
          let t1 = (bitcast<vec4<f32>>((w0 & vec4<u32>(0xf0u)) | vec4<u32>(0x4b000000u)) - c4) * s4;
          let t2 = (bitcast<vec4<f32>>((w0 & vec4<u32>(0xf00u)) | vec4<u32>(0x4b000000u)) - c8) * s8;
          let t3 = (bitcast<vec4<f32>>((w0 & vec4<u32>(0xf000u)) | vec4<u32>(0x4b000000u)) - c12) * s12;
          let t4 = (bitcast<vec4<f32>>((w0 & vec4<u32>(0xf0000u)) | vec4<u32>(0x4b000000u)) - c16) * s16;
          let t5 = (bitcast<vec4<f32>>((h & vec4<u32>(0xf00u)) | vec4<u32>(0x4b000000u)) - c8) * s8;
          let t6 = (bitcast<vec4<f32>>((h & vec4<u32>(0xf000u)) | vec4<u32>(0x4b000000u)) - c12) * s12;
          let t7 = (bitcast<vec4<f32>>((h & vec4<u32>(0xf0000u)) | vec4<u32>(0x4b000000u)) - c16) * s16;
          {
            let xa = vec4<f32>(X[(0u + kr + 0u) * 2u]) * XS[(kr + 0u) * 2u];
            let xb = vec4<f32>(X[(0u + kr + 0u) * 2u + 1u]) * XS[(kr + 0u) * 2u + 1u];
            acc0 = fma(vec4<f32>(xa.x), t0, acc0);
            acc0 = fma(vec4<f32>(xa.y), t1, acc0);
            acc0 = fma(vec4<f32>(xa.z), t2, acc0);
            acc0 = fma(vec4<f32>(xa.w), t3, acc0);
            acc0 = fma(vec4<f32>(xb.x), t4, acc0);
            acc0 = fma(vec4<f32>(xb.y), t5, acc0);
            acc0 = fma(vec4<f32>(xb.z), t6, acc0);
            acc0 = fma(vec4<f32>(xb.w), t7, acc0);
          }
          {
            let xa = vec4<f32>(X[(512u + kr + 0u) * 2u]) * XS[(kr + 0u) * 2u];
            let xb = vec4<f32>(X[(512u + kr + 0u) * 2u + 1u]) * XS[(kr + 0u) * 2u + 1u];
            acc1 = fma(vec4<f32>(xa.x), t0, acc1);
            acc1 = fma(vec4<f32>(xa.y), t1, acc1);
            acc1 = fma(vec4<f32>(xa.z), t2, acc1);
            acc1 = fma(vec4<f32>(xa.w), t3, acc1);
            acc1 = fma(vec4<f32>(xb.x), t4, acc1);
            acc1 = fma(vec4<f32>(xb.y), t5, acc1);
            acc1 = fma(vec4<f32>(xb.z), t6, acc1);
            acc1 = fma(vec4<f32>(xb.w), t7, acc1);
          }
          {
            let xa = vec4<f32>(X[(1024u + kr + 0u) * 2u]) * XS[(kr + 0u) * 2u];
            let xb = vec4<f32>(X[(1024u + kr + 0u) * 2u + 1u]) * XS[(kr + 0u) * 2u + 1u];
            acc2 = fma(vec4<f32>(xa.x), t0, acc2);
            acc2 = fma(vec4<f32>(xa.y), t1, acc2);
            acc2 = fma(vec4<f32>(xa.z), t2, acc2);
            acc2 = fma(vec4<f32>(xa.w), t3, acc2);
            acc2 = fma(vec4<f32>(xb.x), t4, acc2);
            acc2 = fma(vec4<f32>(xb.y), t5, acc2);
            acc2 = fma(vec4<f32>(xb.z), t6, acc2);
            acc2 = fma(vec4<f32>(xb.w), t7, acc2);
          }
          {
            let xa = vec4<f32>(X[(1536u + kr + 0u) * 2u]) * XS[(kr + 0u) * 2u];
            let xb = vec4<f32>(X[(1536u + kr + 0u) * 2u + 1u]) * XS[(kr + 0u) * 2u + 1u];
            acc3 = fma(vec4<f32>(xa.x), t0, acc3);
            acc3 = fma(vec4<f32>(xa.y), t1, acc3);
            acc3 = fma(vec4<f32>(xa.z), t2, acc3);
            acc3 = fma(vec4<f32>(xa.w), t3, acc3);
            acc3 = fma(vec4<f32>(xb.x), t4, acc3);
            acc3 = fma(vec4<f32>(xb.y), t5, acc3);
            acc3 = fma(vec4<f32>(xb.z), t6, acc3);
            acc3 = fma(vec4<f32>(xb.w), t7, acc3);
          }
          {
            let xa = vec4<f32>(X[(2048u + kr + 0u) * 2u]) * XS[(kr + 0u) * 2u];
            let xb = vec4<f32>(X[(2048u + kr + 0u) * 2u + 1u]) * XS[(kr + 0u) * 2u + 1u];
            acc4 = fma(vec4<f32>(xa.x), t0, acc4);
            acc4 = fma(vec4<f32>(xa.y), t1, acc4);
            acc4 = fma(vec4<f32>(xa.z), t2, acc4);
            acc4 = fma(vec4<f32>(xa.w), t3, acc4);
            acc4 = fma(vec4<f32>(xb.x), t4, acc4);
            acc4 = fma(vec4<f32>(xb.y), t5, acc4);
            acc4 = fma(vec4<f32>(xb.z), t6, acc4);
            acc4 = fma(vec4<f32>(xb.w), t7, acc4);
          }
          {
            let xa = vec4<f32>(X[(2560u + kr + 0u) * 2u]) * XS[(kr + 0u) * 2u];
            let xb = vec4<f32>(X[(2560u + kr + 0u) * 2u + 1u]) * XS[(kr + 0u) * 2u + 1u];
            acc5 = fma(vec4<f32>(xa.x), t0, acc5);
            acc5 = fma(vec4<f32>(xa.y), t1, acc5);
            acc5 = fma(vec4<f32>(xa.z), t2, acc5);
            acc5 = fma(vec4<f32>(xa.w), t3, acc5);
            acc5 = fma(vec4<f32>(xb.x), t4, acc5);
            acc5 = fma(vec4<f32>(xb.y), t5, acc5);
            acc5 = fma(vec4<f32>(xb.z), t6, acc5);
            acc5 = fma(vec4<f32>(xb.w), t7, acc5);
          }
          {
            let xa = vec4<f32>(X[(3072u + kr + 0u) * 2u]) * XS[(kr + 0u) * 2u];
            let xb = vec4<f32>(X[(3072u + kr + 0u) * 2u + 1u]) * XS[(kr + 0u) * 2u + 1u];
            acc6 = fma(vec4<f32>(xa.x), t0, acc6);
            acc6 = fma(vec4<f32>(xa.y), t1, acc6);
            acc6 = fma(vec4<f32>(xa.z), t2, acc6);
            acc6 = fma(vec4<f32>(xa.w), t3, acc6);
            acc6 = fma(vec4<f32>(xb.x), t4, acc6);
            acc6 = fma(vec4<f32>(xb.y), t5, acc6);
            acc6 = fma(vec4<f32>(xb.z), t6, acc6);
            acc6 = fma(vec4<f32>(xb.w), t7, acc6);
          }
          {
            let xa = vec4<f32>(X[(3584u + kr + 0u) * 2u]) * XS[(kr + 0u) * 2u];
            let xb = vec4<f32>(X[(3584u + kr + 0u) * 2u + 1u]) * XS[(kr + 0u) * 2u + 1u];
            acc7 = fma(vec4<f32>(xa.x), t0, acc7);
            acc7 = fma(vec4<f32>(xa.y), t1, acc7);
            acc7 = fma(vec4<f32>(xa.z), t2, acc7);
            acc7 = fma(vec4<f32>(xa.w), t3, acc7);
            acc7 = fma(vec4<f32>(xb.x), t4, acc7);
            acc7 = fma(vec4<f32>(xb.y), t5, acc7);
            acc7 = fma(vec4<f32>(xb.z), t6, acc7);
            acc7 = fma(vec4<f32>(xb.w), t7, acc7);
          }
          {
            let xa = vec4<f32>(X[(4096u + kr + 0u) * 2u]) * XS[(kr + 0u) * 2u];
            let xb = vec4<f32>(X[(4096u + kr + 0u) * 2u + 1u]) * XS[(kr + 0u) * 2u + 1u];
            acc8 = fma(vec4<f32>(xa.x), t0, acc8);
            acc8 = fma(vec4<f32>(xa.y), t1, acc8);
            acc8 = fma(vec4<f32>(xa.z), t2, acc8);
            acc8 = fma(vec4<f32>(xa.w), t3, acc8);
            acc8 = fma(vec4<f32>(xb.x), t4, acc8);
            acc8 = fma(vec4<f32>(xb.y), t5, acc8);
            acc8 = fma(vec4<f32>(xb.z), t6, acc8);
            acc8 = fma(vec4<f32>(xb.w), t7, acc8);
          }
          {
            let xa = vec4<f32>(X[(4608u + kr + 0u) * 2u]) * XS[(kr + 0u) * 2u];
            let xb = vec4<f32>(X[(4608u + kr + 0u) * 2u + 1u]) * XS[(kr + 0u) * 2u + 1u];
            acc9 = fma(vec4<f32>(xa.x), t0, acc9);
            acc9 = fma(vec4<f32>(xa.y), t1, acc9);
            acc9 = fma(vec4<f32>(xa.z), t2, acc9);
            acc9 = fma(vec4<f32>(xa.w), t3, acc9);
            acc9 = fma(vec4<f32>(xb.x), t4, acc9);
            acc9 = fma(vec4<f32>(xb.y), t5, acc9);
            acc9 = fma(vec4<f32>(xb.z), t6, acc9);
            acc9 = fma(vec4<f32>(xb.w), t7, acc9);
          }
          {
            let xa = vec4<f32>(X[(5120u + kr + 0u) * 2u]) * XS[(kr + 0u) * 2u];
            let xb = vec4<f32>(X[(5120u + kr + 0u) * 2u + 1u]) * XS[(kr + 0u) * 2u + 1u];
            acc10 = fma(vec4<f32>(xa.x), t0, acc10);
            acc10 = fma(vec4<f32>(xa.y), t1, acc10);
            acc10 = fma(vec4<f32>(xa.z), t2, acc10);
            acc10 = fma(vec4<f32>(xa.w), t3, acc10);
            acc10 = fma(vec4<f32>(xb.x), t4, acc10);
            acc10 = fma(vec4<f32>(xb.y), t5, acc10);
            acc10 = fma(vec4<f32>(xb.z), t6, acc10);
            acc10 = fma(vec4<f32>(xb.w), t7, acc10);
          }
          {
            let xa = vec4<f32>(X[(5632u + kr + 0u) * 2u]) * XS[(kr + 0u) * 2u];
            let xb = vec4<f32>(X[(5632u + kr + 0u) * 2u + 1u]) * XS[(kr + 0u) * 2u + 1u];
            acc11 = fma(vec4<f32>(xa.x), t0, acc11);
            acc11 = fma(vec4<f32>(xa.y), t1, acc11);
            acc11 = fma(vec4<f32>(xa.z), t2, acc11);
            acc11 = fma(vec4<f32>(xa.w), t3, acc11);
            acc11 = fma(vec4<f32>(xb.x), t4, acc11);
            acc11 = fma(vec4<f32>(xb.y), t5, acc11);
            acc11 = fma(vec4<f32>(xb.z), t6, acc11);
            acc11 = fma(vec4<f32>(xb.w), t7, acc11);
          }
          {
            let xa = vec4<f32>(X[(6144u + kr + 0u) * 2u]) * XS[(kr + 0u) * 2u];
            let xb = vec4<f32>(X[(6144u + kr + 0u) * 2u + 1u]) * XS[(kr + 0u) * 2u + 1u];
            acc12 = fma(vec4<f32>(xa.x), t0, acc12);
            acc12 = fma(vec4<f32>(xa.y), t1, acc12);
            acc12 = fma(vec4<f32>(xa.z), t2, acc12);
            acc12 = fma(vec4<f32>(xa.w), t3, acc12);
            acc12 = fma(vec4<f32>(xb.x), t4, acc12);
            acc12 = fma(vec4<f32>(xb.y), t5, acc12);
            acc12 = fma(vec4<f32>(xb.z), t6, acc12);
            acc12 = fma(vec4<f32>(xb.w), t7, acc12);
          }
          {
            let xa = vec4<f32>(X[(6656u + kr + 0u) * 2u]) * XS[(kr + 0u) * 2u];
            let xb = vec4<f32>(X[(6656u + kr + 0u) * 2u + 1u]) * XS[(kr + 0u) * 2u + 1u];
            acc13 = fma(vec4<f32>(xa.x), t0, acc13);
            acc13 = fma(vec4<f32>(xa.y), t1, acc13);
            acc13 = fma(vec4<f32>(xa.z), t2, acc13);
            acc13 = fma(vec4<f32>(xa.w), t3, acc13);
            acc13 = fma(vec4<f32>(xb.x), t4, acc13);
            acc13 = fma(vec4<f32>(xb.y), t5, acc13);
            acc13 = fma(vec4<f32>(xb.z), t6, acc13);
            acc13 = fma(vec4<f32>(xb.w), t7, acc13);
          }
          {
            let xa = vec4<f32>(X[(7168u + kr + 0u) * 2u]) * XS[(kr + 0u) * 2u];
            let xb = vec4<f32>(X[(7168u + kr + 0u) * 2u + 1u]) * XS[(kr + 0u) * 2u + 1u];
            acc14 = fma(vec4<f32>(xa.x), t0, acc14);
            acc14 = fma(vec4<f32>(xa.y), t1, acc14);
            acc14 = fma(vec4<f32>(xa.z), t2, acc14);
            acc14 = fma(vec4<f32>(xa.w), t3, acc14);
            acc14 = fma(vec4<f32>(xb.x), t4, acc14);
            acc14 = fma(vec4<f32>(xb.y), t5, acc14);
            acc14 = fma(vec4<f32>(xb.z), t6, acc14);
            acc14 = fma(vec4<f32>(xb.w), t7, acc14);
          }
          {
            let xa = vec4<f32>(X[(7680u + kr + 0u) * 2u]) * XS[(kr + 0u) * 2u];
            let xb = vec4<f32>(X[(7680u + kr + 0u) * 2u + 1u]) * XS[(kr + 0u) * 2u + 1u];
            acc15 = fma(vec4<f32>(xa.x), t0, acc15);
            acc15 = fma(vec4<f32>(xa.y), t1, acc15);
            acc15 = fma(vec4<f32>(xa.z), t2, acc15);
            acc15 = fma(vec4<f32>(xa.w), t3, acc15);
            acc15 = fma(vec4<f32>(xb.x), t4, acc15);
            acc15 = fma(vec4<f32>(xb.y), t5, acc15);
            acc15 = fma(vec4<f32>(xb.z), t6, acc15);
            acc15 = fma(vec4<f32>(xb.w), t7, acc15);
          }
        }
        kr = kn;
        if (kr >= rEnd) {
          break;
        }
      }
    }
  }
  red[0u + lid] = acc0;
  red[128u + lid] = acc1;
  red[256u + lid] = acc2;
  red[384u + lid] = acc3;
  red[512u + lid] = acc4;
  red[640u + lid] = acc5;
  red[768u + lid] = acc6;
  red[896u + lid] = acc7;
  workgroupBarrier();
  if (s < 4u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 16u] + red[0u + lid + 32u] + red[0u + lid + 48u] + red[0u + lid + 64u] + red[0u + lid + 80u] + red[0u + lid + 96u] + red[0u + lid + 112u];
    red[128u + lid] = red[128u + lid] + red[128u + lid + 16u] + red[128u + lid + 32u] + red[128u + lid + 48u] + red[128u + lid + 64u] + red[128u + lid + 80u] + red[128u + lid + 96u] + red[128u + lid + 112u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 16u] + red[256u + lid + 32u] + red[256u + lid + 48u] + red[256u + lid + 64u] + red[256u + lid + 80u] + red[256u + lid + 96u] + red[256u + lid + 112u];
    red[384u + lid] = red[384u + lid] + red[384u + lid + 16u] + red[384u + lid + 32u] + red[384u + lid + 48u] + red[384u + lid + 64u] + red[384u + lid + 80u] + red[384u + lid + 96u] + red[384u + lid + 112u];
    red[512u + lid] = red[512u + lid] + red[512u + lid + 16u] + red[512u + lid + 32u] + red[512u + lid + 48u] + red[512u + lid + 64u] + red[512u + lid + 80u] + red[512u + lid + 96u] + red[512u + lid + 112u];
    red[640u + lid] = red[640u + lid] + red[640u + lid + 16u] + red[640u + lid + 32u] + red[640u + lid + 48u] + red[640u + lid + 64u] + red[640u + lid + 80u] + red[640u + lid + 96u] + red[640u + lid + 112u];
    red[768u + lid] = red[768u + lid] + red[768u + lid + 16u] + red[768u + lid + 32u] + red[768u + lid + 48u] + red[768u + lid + 64u] + red[768u + lid + 80u] + red[768u + lid + 96u] + red[768u + lid + 112u];
    red[896u + lid] = red[896u + lid] + red[896u + lid + 16u] + red[896u + lid + 32u] + red[896u + lid + 48u] + red[896u + lid + 64u] + red[896u + lid + 80u] + red[896u + lid + 96u] + red[896u + lid + 112u];
  }
  workgroupBarrier();
  if (s == 0u && live) {
    Y[0u + qc] = vec4<f16>(red[0u + c] + red[0u + c + 4u] + red[0u + c + 8u] + red[0u + c + 12u]);
    Y[1024u + qc] = vec4<f16>(red[128u + c] + red[128u + c + 4u] + red[128u + c + 8u] + red[128u + c + 12u]);
    Y[2048u + qc] = vec4<f16>(red[256u + c] + red[256u + c + 4u] + red[256u + c + 8u] + red[256u + c + 12u]);
    Y[3072u + qc] = vec4<f16>(red[384u + c] + red[384u + c + 4u] + red[384u + c + 8u] + red[384u + c + 12u]);
    Y[4096u + qc] = vec4<f16>(red[512u + c] + red[512u + c + 4u] + red[512u + c + 8u] + red[512u + c + 12u]);
    Y[5120u + qc] = vec4<f16>(red[640u + c] + red[640u + c + 4u] + red[640u + c + 8u] + red[640u + c + 12u]);
    Y[6144u + qc] = vec4<f16>(red[768u + c] + red[768u + c + 4u] + red[768u + c + 8u] + red[768u + c + 12u]);
    Y[7168u + qc] = vec4<f16>(red[896u + c] + red[896u + c + 4u] + red[896u + c + 8u] + red[896u + c + 12u]);
  }
  workgroupBarrier();
  red[0u + lid] = acc8;
  red[128u + lid] = acc9;
  red[256u + lid] = acc10;
  red[384u + lid] = acc11;
  red[512u + lid] = acc12;
  red[640u + lid] = acc13;
  red[768u + lid] = acc14;
  red[896u + lid] = acc15;
  workgroupBarrier();
  if (s < 4u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 16u] + red[0u + lid + 32u] + red[0u + lid + 48u] + red[0u + lid + 64u] + red[0u + lid + 80u] + red[0u + lid + 96u] + red[0u + lid + 112u];
    red[128u + lid] = red[128u + lid] + red[128u + lid + 16u] + red[128u + lid + 32u] + red[128u + lid + 48u] + red[128u + lid + 64u] + red[128u + lid + 80u] + red[128u + lid + 96u] + red[128u + lid + 112u];
    red[256u + lid] = red[256u + lid] + red[256u + lid + 16u] + red[256u + lid + 32u] + red[256u + lid + 48u] + red[256u + lid + 64u] + red[256u + lid + 80u] + red[256u + lid + 96u] + red[256u + lid + 112u];
    red[384u + lid] = red[384u + lid] + red[384u + lid + 16u] + red[384u + lid + 32u] + red[384u + lid + 48u] + red[384u + lid + 64u] + red[384u + lid + 80u] + red[384u + lid + 96u] + red[384u + lid + 112u];
    red[512u + lid] = red[512u + lid] + red[512u + lid + 16u] + red[512u + lid + 32u] + red[512u + lid + 48u] + red[512u + lid + 64u] + red[512u + lid + 80u] + red[512u + lid + 96u] + red[512u + lid + 112u];
    red[640u + lid] = red[640u + lid] + red[640u + lid + 16u] + red[640u + lid + 32u] + red[640u + lid + 48u] + red[640u + lid + 64u] + red[640u + lid + 80u] + red[640u + lid + 96u] + red[640u + lid + 112u];
    red[768u + lid] = red[768u + lid] + red[768u + lid + 16u] + red[768u + lid + 32u] + red[768u + lid + 48u] + red[768u + lid + 64u] + red[768u + lid + 80u] + red[768u + lid + 96u] + red[768u + lid + 112u];
    red[896u + lid] = red[896u + lid] + red[896u + lid + 16u] + red[896u + lid + 32u] + red[896u + lid + 48u] + red[896u + lid + 64u] + red[896u + lid + 80u] + red[896u + lid + 96u] + red[896u + lid + 112u];
  }
  workgroupBarrier();
  if (s == 0u && live) {
    Y[8192u + qc] = vec4<f16>(red[0u + c] + red[0u + c + 4u] + red[0u + c + 8u] + red[0u + c + 12u]);
    Y[9216u + qc] = vec4<f16>(red[128u + c] + red[128u + c + 4u] + red[128u + c + 8u] + red[128u + c + 12u]);
    Y[10240u + qc] = vec4<f16>(red[256u + c] + red[256u + c + 4u] + red[256u + c + 8u] + red[256u + c + 12u]);
    Y[11264u + qc] = vec4<f16>(red[384u + c] + red[384u + c + 4u] + red[384u + c + 8u] + red[384u + c + 12u]);
    Y[12288u + qc] = vec4<f16>(red[512u + c] + red[512u + c + 4u] + red[512u + c + 8u] + red[512u + c + 12u]);
    Y[13312u + qc] = vec4<f16>(red[640u + c] + red[640u + c + 4u] + red[640u + c + 8u] + red[640u + c + 12u]);
    Y[14336u + qc] = vec4<f16>(red[768u + c] + red[768u + c + 4u] + red[768u + c + 8u] + red[768u + c + 12u]);
    Y[15360u + qc] = vec4<f16>(red[896u + c] + red[896u + c + 4u] + red[896u + c + 8u] + red[896u + c + 12u]);
  }
}
