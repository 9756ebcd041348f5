// ==== int4-gemv-f32-1x4096x4096 ====
// tilebench int4 GEMV 1x4096x4096 f32 group=128 scales=f16 awq=false cpt=4 cols=4 slices=64 unroll=4 prescale=true accs=1 math=f32 fanIn=8
@group(0) @binding(0) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> Q: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read> S: array<u32>;
@group(0) @binding(3) var<storage, read> Z: array<u32>;
@group(0) @binding(4) var<storage, read_write> Y: array<vec4<f32>>;
const ROWS = 512u;
const N = 4096u;
const NQ = 1024u;
const KV = 1024u;
const RPG = 16u;
const RPT = 8u;
var<workgroup> red: array<vec4<f32>, 256>;
var<workgroup> fexp: array<u32, 1>;

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
  let c = lid % 4u;
  let s = lid / 4u;
  let col = (wid.x * 4u + c) * 4u;
  let live = col < N;
  let qc = col / 4u;
  if (lid == 0u) { fexp = array<u32, 1>(0x4b000000u); }
  workgroupBarrier();
  let fexp0 = fexp[0];
  var acc0 = vec4<f32>(0.0);
  if (live) {
    let rBegin = s * RPT;
    let rEnd = min(rBegin + RPT, ROWS);
    if (rBegin < rEnd) {
      var kr = rBegin;
      var q0 = Q[(kr + 0u) * NQ + qc];
      var q1 = Q[(kr + 1u) * NQ + qc];
      var q2 = Q[(kr + 2u) * NQ + qc];
      var q3 = Q[(kr + 3u) * NQ + qc];
      let e = (kr / RPG) * N + col;
      let sc = vec4<f32>(ldS(e + 0u), ldS(e + 1u), ldS(e + 2u), ldS(e + 3u));
      let nzc = vec4<f32>(ldZ(e + 0u), ldZ(e + 1u), ldZ(e + 2u), ldZ(e + 3u));
      let c0 = fma(nzc, vec4<f32>(1.0), vec4<f32>(8388608.0));
      let c4 = fma(nzc, vec4<f32>(16.0), vec4<f32>(8388608.0));
      let c8 = fma(nzc, vec4<f32>(256.0), vec4<f32>(8388608.0));
      let c12 = fma(nzc, vec4<f32>(4096.0), vec4<f32>(8388608.0));
      let c16 = fma(nzc, vec4<f32>(65536.0), vec4<f32>(8388608.0));
      var p0 = vec4<f32>(0.0);
      loop {
        let w0 = q0;
        let w1 = q1;
        let w2 = q2;
        let w3 = q3;
        let kn = kr + 4u;
        if (kn < rEnd) {
          q0 = Q[(kn + 0u) * NQ + qc];
          q1 = Q[(kn + 1u) * NQ + qc];
          q2 = Q[(kn + 2u) * NQ + qc];
          q3 = Q[(kn + 3u) * NQ + qc];
        }
        {
          let h = w0 >> vec4<u32>(12u);
          let t0 = bitcast<vec4<f32>>((w0 & vec4<u32>(0xfu)) | vec4<u32>(fexp0)) - c0;
          let t1 = bitcast<vec4<f32>>((w0 & vec4<u32>(0xf0u)) | vec4<u32>(fexp0)) - c4;
          let t2 = bitcast<vec4<f32>>((w0 & vec4<u32>(0xf00u)) | vec4<u32>(fexp0)) - c8;
          let t3 = bitcast<vec4<f32>>((w0 & vec4<u32>(0xf000u)) | vec4<u32>(fexp0)) - c12;
          let t4 = bitcast<vec4<f32>>((w0 & vec4<u32>(0xf0000u)) | vec4<u32>(fexp0)) - c16;
          let t5 = bitcast<vec4<f32>>((h & vec4<u32>(0xf00u)) | vec4<u32>(fexp0)) - c8;
          let t6 = bitcast<vec4<f32>>((h & vec4<u32>(0xf000u)) | vec4<u32>(fexp0)) - c12;
          let t7 = bitcast<vec4<f32>>((h & vec4<u32>(0xf0000u)) | vec4<u32>(fexp0)) - c16;
          {
            let xa = vec4<f32>(X[(0u + kr + 0u) * 2u]) * vec4<f32>(1.0, 0.0625, 0.00390625, 0.000244140625);
            let xb = vec4<f32>(X[(0u + kr + 0u) * 2u + 1u]) * vec4<f32>(0.0000152587890625, 0.00390625, 0.000244140625, 0.0000152587890625);
            p0 = fma(vec4<f32>(xa.x), t0, p0);
            p0 = fma(vec4<f32>(xa.y), t1, p0);
            p0 = fma(vec4<f32>(xa.z), t2, p0);
            p0 = fma(vec4<f32>(xa.w), t3, p0);
            p0 = fma(vec4<f32>(xb.x), t4, p0);
            p0 = fma(vec4<f32>(xb.y), t5, p0);
            p0 = fma(vec4<f32>(xb.z), t6, p0);
            p0 = fma(vec4<f32>(xb.w), t7, p0);
          }
        }
        {
          let h = w1 >> vec4<u32>(12u);
          let t0 = bitcast<vec4<f32>>((w1 & vec4<u32>(0xfu)) | vec4<u32>(fexp0)) - c0;
          let t1 = bitcast<vec4<f32>>((w1 & vec4<u32>(0xf0u)) | vec4<u32>(fexp0)) - c4;
          let t2 = bitcast<vec4<f32>>((w1 & vec4<u32>(0xf00u)) | vec4<u32>(fexp0)) - c8;
          let t3 = bitcast<vec4<f32>>((w1 & vec4<u32>(0xf000u)) | vec4<u32>(fexp0)) - c12;
          let t4 = bitcast<vec4<f32>>((w1 & vec4<u32>(0xf0000u)) | vec4<u32>(fexp0)) - c16;
          let t5 = bitcast<vec4<f32>>((h & vec4<u32>(0xf00u)) | vec4<u32>(fexp0)) - c8;
          let t6 = bitcast<vec4<f32>>((h & vec4<u32>(0xf000u)) | vec4<u32>(fexp0)) - c12;
          let t7 = bitcast<vec4<f32>>((h & vec4<u32>(0xf0000u)) | vec4<u32>(fexp0)) - c16;
          {
            let xa = vec4<f32>(X[(0u + kr + 1u) * 2u]) * vec4<f32>(1.0, 0.0625, 0.00390625, 0.000244140625);
            let xb = vec4<f32>(X[(0u + kr + 1u) * 2u + 1u]) * vec4<f32>(0.0000152587890625, 0.00390625, 0.000244140625, 0.0000152587890625);
            p0 = fma(vec4<f32>(xa.x), t0, p0);
            p0 = fma(vec4<f32>(xa.y), t1, p0);
            p0 = fma(vec4<f32>(xa.z), t2, p0);
            p0 = fma(vec4<f32>(xa.w), t3, p0);
            p0 = fma(vec4<f32>(xb.x), t4, p0);
            p0 = fma(vec4<f32>(xb.y), t5, p0);
            p0 = fma(vec4<f32>(xb.z), t6, p0);
            p0 = fma(vec4<f32>(xb.w), t7, p0);
          }
        }
        {
          let h = w2 >> vec4<u32>(12u);
          let t0 = bitcast<vec4<f32>>((w2 & vec4<u32>(0xfu)) | vec4<u32>(fexp0)) - c0;
          let t1 = bitcast<vec4<f32>>((w2 & vec4<u32>(0xf0u)) | vec4<u32>(fexp0)) - c4;
          let t2 = bitcast<vec4<f32>>((w2 & vec4<u32>(0xf00u)) | vec4<u32>(fexp0)) - c8;
          let t3 = bitcast<vec4<f32>>((w2 & vec4<u32>(0xf000u)) | vec4<u32>(fexp0)) - c12;
          let t4 = bitcast<vec4<f32>>((w2 & vec4<u32>(0xf0000u)) | vec4<u32>(fexp0)) - c16;
          let t5 = bitcast<vec4<f32>>((h & vec4<u32>(0xf00u)) | vec4<u32>(fexp0)) - c8;
          let t6 = bitcast<vec4<f32>>((h & vec4<u32>(0xf000u)) | vec4<u32>(fexp0)) - c12;
          let t7 = bitcast<vec4<f32>>((h & vec4<u32>(0xf0000u)) | vec4<u32>(fexp0)) - c16;
          {
            let xa = vec4<f32>(X[(0u + kr + 2u) * 2u]) * vec4<f32>(1.0, 0.0625, 0.00390625, 0.000244140625);
            let xb = vec4<f32>(X[(0u + kr + 2u) * 2u + 1u]) * vec4<f32>(0.0000152587890625, 0.00390625, 0.000244140625, 0.0000152587890625);
            p0 = fma(vec4<f32>(xa.x), t0, p0);
            p0 = fma(vec4<f32>(xa.y), t1, p0);
            p0 = fma(vec4<f32>(xa.z), t2, p0);
            p0 = fma(vec4<f32>(xa.w), t3, p0);
            p0 = fma(vec4<f32>(xb.x), t4, p0);
            p0 = fma(vec4<f32>(xb.y), t5, p0);
            p0 = fma(vec4<f32>(xb.z), t6, p0);
            p0 = fma(vec4<f32>(xb.w), t7, p0);
          }
        }
        {
          let h = w3 >> vec4<u32>(12u);
          let t0 = bitcast<vec4<f32>>((w3 & vec4<u32>(0xfu)) | vec4<u32>(fexp0)) - c0;
          let t1 = bitcast<vec4<f32>>((w3 & vec4<u32>(0xf0u)) | vec4<u32>(fexp0)) - c4;
          let t2 = bitcast<vec4<f32>>((w3 & vec4<u32>(0xf00u)) | vec4<u32>(fexp0)) - c8;
          let t3 = bitcast<vec4<f32>>((w3 & vec4<u32>(0xf000u)) | vec4<u32>(fexp0)) - c12;
          let t4 = bitcast<vec4<f32>>((w3 & vec4<u32>(0xf0000u)) | vec4<u32>(fexp0)) - c16;
          let t5 = bitcast<vec4<f32>>((h & vec4<u32>(0xf00u)) | vec4<u32>(fexp0)) - c8;
          let t6 = bitcast<vec4<f32>>((h & vec4<u32>(0xf000u)) | vec4<u32>(fexp0)) - c12;
          let t7 = bitcast<vec4<f32>>((h & vec4<u32>(0xf0000u)) | vec4<u32>(fexp0)) - c16;
          {
            let xa = vec4<f32>(X[(0u + kr + 3u) * 2u]) * vec4<f32>(1.0, 0.0625, 0.00390625, 0.000244140625);
            let xb = vec4<f32>(X[(0u + kr + 3u) * 2u + 1u]) * vec4<f32>(0.0000152587890625, 0.00390625, 0.000244140625, 0.0000152587890625);
            p0 = fma(vec4<f32>(xa.x), t0, p0);
            p0 = fma(vec4<f32>(xa.y), t1, p0);
            p0 = fma(vec4<f32>(xa.z), t2, p0);
            p0 = fma(vec4<f32>(xa.w), t3, p0);
            p0 = fma(vec4<f32>(xb.x), t4, p0);
            p0 = fma(vec4<f32>(xb.y), t5, p0);
            p0 = fma(vec4<f32>(xb.z), t6, p0);
            p0 = fma(vec4<f32>(xb.w), t7, p0);
          }
        }
        kr = kn;
        if (kr >= rEnd) {
          acc0 = fma(sc, p0, acc0);
          p0 = vec4<f32>(0.0);
          break;
        }
      }
    }
  }
  red[0u + lid] = acc0;
  workgroupBarrier();
  if (s < 8u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 32u] + red[0u + lid + 64u] + red[0u + lid + 96u] + red[0u + lid + 128u] + red[0u + lid + 160u] + red[0u + lid + 192u] + red[0u + lid + 224u];
  }
  workgroupBarrier();
  if (s == 0u && live) {
    Y[0u + qc] = vec4<f32>(red[0u + c] + red[0u + c + 4u] + red[0u + c + 8u] + red[0u + c + 12u] + red[0u + c + 16u] + red[0u + c + 20u] + red[0u + c + 24u] + red[0u + c + 28u]);
  }
}
