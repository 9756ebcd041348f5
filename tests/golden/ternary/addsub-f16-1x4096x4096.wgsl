// ==== ternary-addsub-f16-1x4096x4096 ====
enable f16;
// ternary addsub GEMV f16 M=1 K=4096 N=4096 group=channel cols=4 cpt=4 slices=64 words/thread=4
@group(0) @binding(0) var<storage, read> X: array<vec4<f16>>;
@group(0) @binding(1) var<storage, read> Q: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read> S: array<vec4<f16>>;
@group(0) @binding(3) var<storage, read_write> Y: array<vec4<f16>>;
const K = 4096u;
const K4 = 1024u;
const NQ = 1024u;
const WORDS = 256u;
const RPT = 4u;
var<workgroup> red: array<vec4<f32>, 256>;

@compute @workgroup_size(256)
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
        let x0 = vec4<f32>(X[(row0 + 0u) * K4 + min(w * 4u + 0u, K4 - 1u)]);
        let c0 = q & vec4<u32>(3u);
        let p0 = c0 == vec4<u32>(1u);
        let n0 = c0 == vec4<u32>(2u);
        acc0 += select(select(Z, vec4<f32>(x0.x), p0), -vec4<f32>(x0.x), n0);
        let c1 = q & vec4<u32>(12u);
        let p1 = c1 == vec4<u32>(4u);
        let n1 = c1 == vec4<u32>(8u);
        acc0 += select(select(Z, vec4<f32>(x0.y), p1), -vec4<f32>(x0.y), n1);
        let c2 = q & vec4<u32>(48u);
        let p2 = c2 == vec4<u32>(16u);
        let n2 = c2 == vec4<u32>(32u);
        acc0 += select(select(Z, vec4<f32>(x0.z), p2), -vec4<f32>(x0.z), n2);
        let c3 = q & vec4<u32>(192u);
        let p3 = c3 == vec4<u32>(64u);
        let n3 = c3 == vec4<u32>(128u);
        acc0 += select(select(Z, vec4<f32>(x0.w), p3), -vec4<f32>(x0.w), n3);
      }
      {
        let x0 = vec4<f32>(X[(row0 + 0u) * K4 + min(w * 4u + 1u, K4 - 1u)]);
        let c4 = q & vec4<u32>(768u);
        let p4 = c4 == vec4<u32>(256u);
        let n4 = c4 == vec4<u32>(512u);
        acc0 += select(select(Z, vec4<f32>(x0.x), p4), -vec4<f32>(x0.x), n4);
        let c5 = q & vec4<u32>(3072u);
        let p5 = c5 == vec4<u32>(1024u);
        let n5 = c5 == vec4<u32>(2048u);
        acc0 += select(select(Z, vec4<f32>(x0.y), p5), -vec4<f32>(x0.y), n5);
        let c6 = q & vec4<u32>(12288u);
        let p6 = c6 == vec4<u32>(4096u);
        let n6 = c6 == vec4<u32>(8192u);
        acc0 += select(select(Z, vec4<f32>(x0.z), p6), -vec4<f32>(x0.z), n6);
        let c7 = q & vec4<u32>(49152u);
        let p7 = c7 == vec4<u32>(16384u);
        let n7 = c7 == vec4<u32>(32768u);
        acc0 += select(select(Z, vec4<f32>(x0.w), p7), -vec4<f32>(x0.w), n7);
      }
      {
        let x0 = vec4<f32>(X[(row0 + 0u) * K4 + min(w * 4u + 2u, K4 - 1u)]);
        let c8 = q & vec4<u32>(196608u);
        let p8 = c8 == vec4<u32>(65536u);
        let n8 = c8 == vec4<u32>(131072u);
        acc0 += select(select(Z, vec4<f32>(x0.x), p8), -vec4<f32>(x0.x), n8);
        let c9 = q & vec4<u32>(786432u);
        let p9 = c9 == vec4<u32>(262144u);
        let n9 = c9 == vec4<u32>(524288u);
        acc0 += select(select(Z, vec4<f32>(x0.y), p9), -vec4<f32>(x0.y), n9);
        let c10 = q & vec4<u32>(3145728u);
        let p10 = c10 == vec4<u32>(1048576u);
        let n10 = c10 == vec4<u32>(2097152u);
        acc0 += select(select(Z, vec4<f32>(x0.z), p10), -vec4<f32>(x0.z), n10);
        let c11 = q & vec4<u32>(12582912u);
        let p11 = c11 == vec4<u32>(4194304u);
        let n11 = c11 == vec4<u32>(8388608u);
        acc0 += select(select(Z, vec4<f32>(x0.w), p11), -vec4<f32>(x0.w), n11);
      }
      {
        let x0 = vec4<f32>(X[(row0 + 0u) * K4 + min(w * 4u + 3u, K4 - 1u)]);
        let c12 = q & vec4<u32>(50331648u);
        let p12 = c12 == vec4<u32>(16777216u);
        let n12 = c12 == vec4<u32>(33554432u);
        acc0 += select(select(Z, vec4<f32>(x0.x), p12), -vec4<f32>(x0.x), n12);
        let c13 = q & vec4<u32>(201326592u);
        let p13 = c13 == vec4<u32>(67108864u);
        let n13 = c13 == vec4<u32>(134217728u);
        acc0 += select(select(Z, vec4<f32>(x0.y), p13), -vec4<f32>(x0.y), n13);
        let c14 = q & vec4<u32>(805306368u);
        let p14 = c14 == vec4<u32>(268435456u);
        let n14 = c14 == vec4<u32>(536870912u);
        acc0 += select(select(Z, vec4<f32>(x0.z), p14), -vec4<f32>(x0.z), n14);
        let c15 = q & vec4<u32>(3221225472u);
        let p15 = c15 == vec4<u32>(1073741824u);
        let n15 = c15 == vec4<u32>(2147483648u);
        acc0 += select(select(Z, vec4<f32>(x0.w), p15), -vec4<f32>(x0.w), n15);
      }
      w += 1u;
      if (w >= wEnd) { break; }
    }
  }
  red[0u + lid] = acc0;
  workgroupBarrier();
  if (s < 8u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 32u] + red[0u + lid + 64u] + red[0u + lid + 96u] + red[0u + lid + 128u] + red[0u + lid + 160u] + red[0u + lid + 192u] + red[0u + lid + 224u];
  }
  workgroupBarrier();
  if (s == 0u && live) {
    let sc = vec4<f32>(S[qc]);
    Y[(row0 + 0u) * NQ + qc] = vec4<f16>((red[0u + c] + red[0u + c + 4u] + red[0u + c + 8u] + red[0u + c + 12u] + red[0u + c + 16u] + red[0u + c + 20u] + red[0u + c + 24u] + red[0u + c + 28u]) * sc);
  }
}
