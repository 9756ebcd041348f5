// ==== int4-gemv-f16-1x4096x14336 ====
enable f16;
// tilebench int4 GEMV 1x4096x14336 f16 group=128 scales=f16 awq=false cpt=4 cols=16 slices=32 unroll=2 prescale=true accs=1 math=f16x2 fanIn=8
@group(0) @binding(0) var<storage, read> X: array<vec4<f16>>;
@group(0) @binding(1) var<storage, read> Q: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read> S: array<u32>;
@group(0) @binding(3) var<storage, read> Z: array<u32>;
@group(0) @binding(4) var<storage, read_write> Y: array<vec4<f16>>;
const ROWS = 512u;
const N = 14336u;
const NQ = 3584u;
const KV = 1024u;
const RPG = 16u;
const RPT = 16u;
var<workgroup> red: array<vec4<f32>, 512>;
var<workgroup> xs: array<vec4<f16>, 1024>;
var<workgroup> hexp: array<u32, 1>;

fn ldS(e: u32) -> f32 {
  let v = unpack2x16float(S[e >> 1u]);
  return select(v.x, v.y, (e & 1u) == 1u);
}
fn ldZ(e: u32) -> f32 {
  let v = unpack2x16float(Z[e >> 1u]);
  return select(v.x, v.y, (e & 1u) == 1u);
}

@compute @workgroup_size(512)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = lid % 16u;
  let s = lid / 16u;
  let col = (wid.x * 16u + c) * 4u;
  let live = col < N;
  let qc = col / 4u;
  var acc0 = vec4<f32>(0.0);
  let rBegin = s * RPT;
  let rEnd = min(rBegin + RPT, ROWS);
  let work = live && rBegin < rEnd;
  var q0 = vec4<u32>();
  var q1 = vec4<u32>();
  if (work) {
    q0 = Q[(rBegin + 0u) * NQ + qc];
    q1 = Q[(rBegin + 1u) * NQ + qc];
  }
  for (var i = lid; i < 512u; i = i + 512u) {
    let r = i % ROWS;
    let xa = X[(i) * 2u];
    let xb = X[(i) * 2u + 1u];
    xs[i * 2u] = vec4<f16>(xa.x, xb.x, xa.y, xb.y);
    xs[i * 2u + 1u] = vec4<f16>(xa.z, xb.z, xa.w, xb.w);
  }
  if (lid == 0u) { hexp = array<u32, 1>(0x64006400u); }
  workgroupBarrier();
  let hexp0 = hexp[0];
  if (work) {
    {
      var kr = rBegin;
      let e = (kr / RPG) * N + col;
      let sc = vec4<f32>(ldS(e + 0u), ldS(e + 1u), ldS(e + 2u), ldS(e + 3u));
      let nzc = vec4<f32>(ldZ(e + 0u), ldZ(e + 1u), ldZ(e + 2u), ldZ(e + 3u));
      let za0 = vec2<f16>(f16(1024.0 + nzc.x));
      let zb0 = vec2<f16>(f16(-64.0 - nzc.x));
      let za1 = vec2<f16>(f16(1024.0 + nzc.y));
      let zb1 = vec2<f16>(f16(-64.0 - nzc.y));
      let za2 = vec2<f16>(f16(1024.0 + nzc.z));
      let zb2 = vec2<f16>(f16(-64.0 - nzc.z));
      let za3 = vec2<f16>(f16(1024.0 + nzc.w));
      let zb3 = vec2<f16>(f16(-64.0 - nzc.w));
      var h0_0 = vec2<f16>();
      var h0_1 = vec2<f16>();
      var h0_2 = vec2<f16>();
      var h0_3 = vec2<f16>();
      loop {
        let w0 = q0;
        let w1 = q1;
        let kn = kr + 2u;
        if (kn < rEnd) {
          q0 = Q[(kn + 0u) * NQ + qc];
          q1 = Q[(kn + 1u) * NQ + qc];
        }
        {
          let hi = w0 >> vec4<u32>(8u);
          let t0_0 = vec2<f16>(unpack2x16float((w0.x & 0x000F000Fu) | hexp0)) - za0;
          let t1_0 = fma(vec2<f16>(unpack2x16float((w0.x & 0x00F000F0u) | hexp0)), vec2<f16>(0.0625h), zb0);
          let t2_0 = vec2<f16>(unpack2x16float((hi.x & 0x000F000Fu) | hexp0)) - za0;
          let t3_0 = fma(vec2<f16>(unpack2x16float((hi.x & 0x00F000F0u) | hexp0)), vec2<f16>(0.0625h), zb0);
          let t0_1 = vec2<f16>(unpack2x16float((w0.y & 0x000F000Fu) | hexp0)) - za1;
          let t1_1 = fma(vec2<f16>(unpack2x16float((w0.y & 0x00F000F0u) | hexp0)), vec2<f16>(0.0625h), zb1);
          let t2_1 = vec2<f16>(unpack2x16float((hi.y & 0x000F000Fu) | hexp0)) - za1;
          let t3_1 = fma(vec2<f16>(unpack2x16float((hi.y & 0x00F000F0u) | hexp0)), vec2<f16>(0.0625h), zb1);
          let t0_2 = vec2<f16>(unpack2x16float((w0.z & 0x000F000Fu) | hexp0)) - za2;
          let t1_2 = fma(vec2<f16>(unpack2x16float((w0.z & 0x00F000F0u) | hexp0)), vec2<f16>(0.0625h), zb2);
          let t2_2 = vec2<f16>(unpack2x16float((hi.z & 0x000F000Fu) | hexp0)) - za2;
          let t3_2 = fma(vec2<f16>(unpack2x16float((hi.z & 0x00F000F0u) | hexp0)), vec2<f16>(0.0625h), zb2);
          let t0_3 = vec2<f16>(unpack2x16float((w0.w & 0x000F000Fu) | hexp0)) - za3;
          let t1_3 = fma(vec2<f16>(unpack2x16float((w0.w & 0x00F000F0u) | hexp0)), vec2<f16>(0.0625h), zb3);
          let t2_3 = vec2<f16>(unpack2x16float((hi.w & 0x000F000Fu) | hexp0)) - za3;
          let t3_3 = fma(vec2<f16>(unpack2x16float((hi.w & 0x00F000F0u) | hexp0)), vec2<f16>(0.0625h), zb3);
          {
            let xa = xs[0u + (kr + 0u) * 2u];
            let xb = xs[0u + (kr + 0u) * 2u + 1u];
            let x0 = xa.xy;
            let x1 = xa.zw;
            let x2 = xb.xy;
            let x3 = xb.zw;
            h0_0 = fma(t0_0, x0, h0_0);
            h0_0 = fma(t1_0, x1, h0_0);
            h0_0 = fma(t2_0, x2, h0_0);
            h0_0 = fma(t3_0, x3, h0_0);
            h0_1 = fma(t0_1, x0, h0_1);
            h0_1 = fma(t1_1, x1, h0_1);
            h0_1 = fma(t2_1, x2, h0_1);
            h0_1 = fma(t3_1, x3, h0_1);
            h0_2 = fma(t0_2, x0, h0_2);
            h0_2 = fma(t1_2, x1, h0_2);
            h0_2 = fma(t2_2, x2, h0_2);
            h0_2 = fma(t3_2, x3, h0_2);
            h0_3 = fma(t0_3, x0, h0_3);
            h0_3 = fma(t1_3, x1, h0_3);
            h0_3 = fma(t2_3, x2, h0_3);
            h0_3 = fma(t3_3, x3, h0_3);
          }
        }
        {
          let hi = w1 >> vec4<u32>(8u);
          let t0_0 = vec2<f16>(unpack2x16float((w1.x & 0x000F000Fu) | hexp0)) - za0;
          let t1_0 = fma(vec2<f16>(unpack2x16float((w1.x & 0x00F000F0u) | hexp0)), vec2<f16>(0.0625h), zb0);
          let t2_0 = vec2<f16>(unpack2x16float((hi.x & 0x000F000Fu) | hexp0)) - za0;
          let t3_0 = fma(vec2<f16>(unpack2x16float((hi.x & 0x00F000F0u) | hexp0)), vec2<f16>(0.0625h), zb0);
          let t0_1 = vec2<f16>(unpack2x16float((w1.y & 0x000F000Fu) | hexp0)) - za1;
          let t1_1 = fma(vec2<f16>(unpack2x16float((w1.y & 0x00F000F0u) | hexp0)), vec2<f16>(0.0625h), zb1);
          let t2_1 = vec2<f16>(unpack2x16float((hi.y & 0x000F000Fu) | hexp0)) - za1;
          let t3_1 = fma(vec2<f16>(unpack2x16float((hi.y & 0x00F000F0u) | hexp0)), vec2<f16>(0.0625h), zb1);
          let t0_2 = vec2<f16>(unpack2x16float((w1.z & 0x000F000Fu) | hexp0)) - za2;
          let t1_2 = fma(vec2<f16>(unpack2x16float((w1.z & 0x00F000F0u) | hexp0)), vec2<f16>(0.0625h), zb2);
          let t2_2 = vec2<f16>(unpack2x16float((hi.z & 0x000F000Fu) | hexp0)) - za2;
          let t3_2 = fma(vec2<f16>(unpack2x16float((hi.z & 0x00F000F0u) | hexp0)), vec2<f16>(0.0625h), zb2);
          let t0_3 = vec2<f16>(unpack2x16float((w1.w & 0x000F000Fu) | hexp0)) - za3;
          let t1_3 = fma(vec2<f16>(unpack2x16float((w1.w & 0x00F000F0u) | hexp0)), vec2<f16>(0.0625h), zb3);
          let t2_3 = vec2<f16>(unpack2x16float((hi.w & 0x000F000Fu) | hexp0)) - za3;
          let t3_3 = fma(vec2<f16>(unpack2x16float((hi.w & 0x00F000F0u) | hexp0)), vec2<f16>(0.0625h), zb3);
          {
            let xa = xs[0u + (kr + 1u) * 2u];
            let xb = xs[0u + (kr + 1u) * 2u + 1u];
            let x0 = xa.xy;
            let x1 = xa.zw;
            let x2 = xb.xy;
            let x3 = xb.zw;
            h0_0 = fma(t0_0, x0, h0_0);
            h0_0 = fma(t1_0, x1, h0_0);
            h0_0 = fma(t2_0, x2, h0_0);
            h0_0 = fma(t3_0, x3, h0_0);
            h0_1 = fma(t0_1, x0, h0_1);
            h0_1 = fma(t1_1, x1, h0_1);
            h0_1 = fma(t2_1, x2, h0_1);
            h0_1 = fma(t3_1, x3, h0_1);
            h0_2 = fma(t0_2, x0, h0_2);
            h0_2 = fma(t1_2, x1, h0_2);
            h0_2 = fma(t2_2, x2, h0_2);
            h0_2 = fma(t3_2, x3, h0_2);
            h0_3 = fma(t0_3, x0, h0_3);
            h0_3 = fma(t1_3, x1, h0_3);
            h0_3 = fma(t2_3, x2, h0_3);
            h0_3 = fma(t3_3, x3, h0_3);
          }
        }
        {
          let f0_0_0 = vec2<f32>(h0_0);
          h0_0 = vec2<f16>();
          let f0_1_0 = vec2<f32>(h0_1);
          h0_1 = vec2<f16>();
          let f0_2_0 = vec2<f32>(h0_2);
          h0_2 = vec2<f16>();
          let f0_3_0 = vec2<f32>(h0_3);
          h0_3 = vec2<f16>();
          acc0 = acc0 + vec4<f32>(f0_0_0.x + f0_0_0.y, f0_1_0.x + f0_1_0.y, f0_2_0.x + f0_2_0.y, f0_3_0.x + f0_3_0.y);
        }
        kr = kn;
        if (kr >= rEnd) {
          acc0 = acc0 * sc;
          break;
        }
      }
    }
  }
  red[0u + lid] = acc0;
  workgroupBarrier();
  if (s < 4u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 64u] + red[0u + lid + 128u] + red[0u + lid + 192u] + red[0u + lid + 256u] + red[0u + lid + 320u] + red[0u + lid + 384u] + red[0u + lid + 448u];
  }
  workgroupBarrier();
  if (s == 0u && live) {
    Y[0u + qc] = vec4<f16>(red[0u + c] + red[0u + c + 16u] + red[0u + c + 32u] + red[0u + c + 48u]);
  }
}
