// ==== ternary-addsub-f16-1x4096x4096 ====
enable f16;
// ternary addsub GEMV f16 M=1 K=4096 N=4096 group=channel cols=4 cpt=4 slices=128 words/thread=2
@group(0) @binding(0) var<storage, read> X: array<vec4<f16>>;
@group(0) @binding(1) var<storage, read> Q: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read> S: array<vec4<f16>>;
@group(0) @binding(3) var<storage, read_write> Y: array<vec4<f16>>;
const K = 4096u;
const K4 = 1024u;
const NQ = 1024u;
const WORDS = 256u;
const RPT = 2u;
var<workgroup> red: array<vec4<f32>, 512>;

@compute @workgroup_size(512)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = lid % 4u;
  let s = lid / 4u;
  let qc = wid.x * 4u + c;
  let live = qc < NQ;
  let row0 = min(wid.y * 1u, 0u);
  let Z = vec4<f32>(0.0);
  var acc0 = Z;
  let wBegin = s * RPT;
  let wEnd = min(wBegin + RPT, WORDS);
  if (live && wBegin < wEnd) {
    var w = wBegin;
    var qn = Q[w * NQ + qc];
    loop {
      let q = qn;
      if (w + 1u < wEnd) { qn = Q[(w + 1u) * NQ + qc]; }
      {
        let x0 = bitcast<vec4<u32>>(vec4<f32>(X[(row0 + 0u) * K4 + min(w * 4u + 0u, K4 - 1u)]));
        let z0 = (q & vec4<u32>(3u)) != vec4<u32>(0u);
        let g0 = (q << vec4<u32>(30u)) & vec4<u32>(2147483648u);
        acc0 += select(Z, bitcast<vec4<f32>>(vec4<u32>(x0.x) ^ g0), z0);
        let z1 = (q & vec4<u32>(12u)) != vec4<u32>(0u);
        let g1 = (q << vec4<u32>(28u)) & vec4<u32>(2147483648u);
        acc0 += select(Z, bitcast<vec4<f32>>(vec4<u32>(x0.y) ^ g1), z1);
        let z2 = (q & vec4<u32>(48u)) != vec4<u32>(0u);
        let g2 = (q << vec4<u32>(26u)) & vec4<u32>(2147483648u);
        acc0 += select(Z, bitcast<vec4<f32>>(vec4<u32>(x0.z) ^ g2), z2);
        let z3 = (q & vec4<u32>(192u)) != vec4<u32>(0u);
        let g3 = (q << vec4<u32>(24u)) & vec4<u32>(2147483648u);
        acc0 += select(Z, bitcast<vec4<f32>>(vec4<u32>(x0.w) ^ g3), z3);
      }
      {
        let x0 = bitcast<vec4<u32>>(vec4<f32>(X[(row0 + 0u) * K4 + min(w * 4u + 1u, K4 - 1u)]));
        let z4 = (q & vec4<u32>(768u)) != vec4<u32>(0u);
        let g4 = (q << vec4<u32>(22u)) & vec4<u32>(2147483648u);
        acc0 += select(Z, bitcast<vec4<f32>>(vec4<u32>(x0.x) ^ g4), z4);
        let z5 = (q & vec4<u32>(3072u)) != vec4<u32>(0u);
        let g5 = (q << vec4<u32>(20u)) & vec4<u32>(2147483648u);
        acc0 += select(Z, bitcast<vec4<f32>>(vec4<u32>(x0.y) ^ g5), z5);
        let z6 = (q & vec4<u32>(12288u)) != vec4<u32>(0u);
        let g6 = (q << vec4<u32>(18u)) & vec4<u32>(2147483648u);
        acc0 += select(Z, bitcast<vec4<f32>>(vec4<u32>(x0.z) ^ g6), z6);
        let z7 = (q & vec4<u32>(49152u)) != vec4<u32>(0u);
        let g7 = (q << vec4<u32>(16u)) & vec4<u32>(2147483648u);
        acc0 += select(Z, bitcast<vec4<f32>>(vec4<u32>(x0.w) ^ g7), z7);
      }
      {
        let x0 = bitcast<vec4<u32>>(vec4<f32>(X[(row0 + 0u) * K4 + min(w * 4u + 2u, K4 - 1u)]));
        let z8 = (q & vec4<u32>(196608u)) != vec4<u32>(0u);
        let g8 = (q << vec4<u32>(14u)) & vec4<u32>(2147483648u);
        acc0 += select(Z, bitcast<vec4<f32>>(vec4<u32>(x0.x) ^ g8), z8);
        let z9 = (q & vec4<u32>(786432u)) != vec4<u32>(0u);
        let g9 = (q << vec4<u32>(12u)) & vec4<u32>(2147483648u);
        acc0 += select(Z, bitcast<vec4<f32>>(vec4<u32>(x0.y) ^ g9), z9);
        let z10 = (q & vec4<u32>(3145728u)) != vec4<u32>(0u);
        let g10 = (q << vec4<u32>(10u)) & vec4<u32>(2147483648u);
        acc0 += select(Z, bitcast<vec4<f32>>(vec4<u32>(x0.z) ^ g10), z10);
        let z11 = (q & vec4<u32>(12582912u)) != vec4<u32>(0u);
        let g11 = (q << vec4<u32>(8u)) & vec4<u32>(2147483648u);
        acc0 += select(Z, bitcast<vec4<f32>>(vec4<u32>(x0.w) ^ g11), z11);
      }
      {
        let x0 = bitcast<vec4<u32>>(vec4<f32>(X[(row0 + 0u) * K4 + min(w * 4u + 3u, K4 - 1u)]));
        let z12 = (q & vec4<u32>(50331648u)) != vec4<u32>(0u);
        let g12 = (q << vec4<u32>(6u)) & vec4<u32>(2147483648u);
        acc0 += select(Z, bitcast<vec4<f32>>(vec4<u32>(x0.x) ^ g12), z12);
        let z13 = (q & vec4<u32>(201326592u)) != vec4<u32>(0u);
        let g13 = (q << vec4<u32>(4u)) & vec4<u32>(2147483648u);
        acc0 += select(Z, bitcast<vec4<f32>>(vec4<u32>(x0.y) ^ g13), z13);
        let z14 = (q & vec4<u32>(805306368u)) != vec4<u32>(0u);
        let g14 = (q << vec4<u32>(2u)) & vec4<u32>(2147483648u);
        acc0 += select(Z, bitcast<vec4<f32>>(vec4<u32>(x0.z) ^ g14), z14);
        let z15 = (q & vec4<u32>(3221225472u)) != vec4<u32>(0u);
        let g15 = q & vec4<u32>(2147483648u);
        acc0 += select(Z, bitcast<vec4<f32>>(vec4<u32>(x0.w) ^ g15), z15);
      }
      w += 1u;
      if (w >= wEnd) { break; }
    }
  }
  red[0u + lid] = acc0;
  workgroupBarrier();
  if (s < 16u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 64u] + red[0u + lid + 128u] + red[0u + lid + 192u] + red[0u + lid + 256u] + red[0u + lid + 320u] + red[0u + lid + 384u] + red[0u + lid + 448u];
  }
  workgroupBarrier();
  if (s < 2u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 8u] + red[0u + lid + 16u] + red[0u + lid + 24u] + red[0u + lid + 32u] + red[0u + lid + 40u] + red[0u + lid + 48u] + red[0u + lid + 56u];
  }
  workgroupBarrier();
  if (s == 0u && live) {
    let sc = vec4<f32>(S[qc]);
    Y[(row0 + 0u) * NQ + qc] = vec4<f16>((red[0u + c] + red[0u + c + 4u]) * sc);
  }
}
