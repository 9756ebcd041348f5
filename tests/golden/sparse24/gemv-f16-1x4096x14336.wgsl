// ==== sparse24-gemv-f16-1x4096x14336 ====
enable f16;
// tilebench sparse24 GEMV 1x4096x14336 f16 cols=16 slices=64 rows=1 chunks=1
@group(0) @binding(0) var<storage, read> X: array<vec4<f16>>;
@group(0) @binding(1) var<storage, read> V: array<vec4<f16>>;
@group(0) @binding(2) var<storage, read> Meta: array<vec4<u32>>;
@group(0) @binding(3) var<storage, read_write> Y: array<vec4<f16>>;
const M = 1u;
const K = 4096u;
const N = 14336u;
const NP4 = 3584u;
var<workgroup> red: array<vec4<f32>, 1024>;

@compute @workgroup_size(1024)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = lid % 16u;
  let s = lid / 16u;
  let chunk = wid.x % 1u;
  let col4 = (wid.x / 1u) * 16u + c;
  let live = col4 < NP4;
  let row0 = chunk * 1u;
  let xr0 = min(row0 + 0u, M - 1u) * (K / 4u);
  var acc0 = vec4<f32>(0.0);
  if (live) {
    for (var w = s; w < 128u; w += 64u) {
      let vb = w * 57344u + col4;
      let mw = Meta[w * NP4 + col4];
      let v0a = vec4<f32>(V[vb + 0u]);
      let v0b = vec4<f32>(V[vb + 3584u]);
      let v1a = vec4<f32>(V[vb + 7168u]);
      let v1b = vec4<f32>(V[vb + 10752u]);
      let v2a = vec4<f32>(V[vb + 14336u]);
      let v2b = vec4<f32>(V[vb + 17920u]);
      let v3a = vec4<f32>(V[vb + 21504u]);
      let v3b = vec4<f32>(V[vb + 25088u]);
      let v4a = vec4<f32>(V[vb + 28672u]);
      let v4b = vec4<f32>(V[vb + 32256u]);
      let v5a = vec4<f32>(V[vb + 35840u]);
      let v5b = vec4<f32>(V[vb + 39424u]);
      let v6a = vec4<f32>(V[vb + 43008u]);
      let v6b = vec4<f32>(V[vb + 46592u]);
      let v7a = vec4<f32>(V[vb + 50176u]);
      let v7b = vec4<f32>(V[vb + 53760u]);
      {
        let a0 = (mw & vec4<u32>(1u)) != vec4<u32>(0u);
        let a1 = (mw & vec4<u32>(2u)) != vec4<u32>(0u);
        let b0 = (mw & vec4<u32>(4u)) != vec4<u32>(0u);
        let b1 = (mw & vec4<u32>(8u)) != vec4<u32>(0u);
        let kg = w * 32u + 0u;
        {
          let x = vec4<f32>(X[xr0 + (kg) / 4u]);
          let xa = select(select(vec4<f32>(x.x), vec4<f32>(x.y), a0), vec4<f32>(x.z), a1);
          let xb = select(vec4<f32>(x.y), select(vec4<f32>(x.z), vec4<f32>(x.w), b0), b1);
          acc0 = fma(v0a, xa, acc0);
          acc0 = fma(v0b, xb, acc0);
        }
      }
      {
        let a0 = (mw & vec4<u32>(16u)) != vec4<u32>(0u);
        let a1 = (mw & vec4<u32>(32u)) != vec4<u32>(0u);
        let b0 = (mw & vec4<u32>(64u)) != vec4<u32>(0u);
        let b1 = (mw & vec4<u32>(128u)) != vec4<u32>(0u);
        let kg = w * 32u + 4u;
        {
          let x = vec4<f32>(X[xr0 + (kg) / 4u]);
          let xa = select(select(vec4<f32>(x.x), vec4<f32>(x.y), a0), vec4<f32>(x.z), a1);
          let xb = select(vec4<f32>(x.y), select(vec4<f32>(x.z), vec4<f32>(x.w), b0), b1);
          acc0 = fma(v1a, xa, acc0);
          acc0 = fma(v1b, xb, acc0);
        }
      }
      {
        let a0 = (mw & vec4<u32>(256u)) != vec4<u32>(0u);
        let a1 = (mw & vec4<u32>(512u)) != vec4<u32>(0u);
        let b0 = (mw & vec4<u32>(1024u)) != vec4<u32>(0u);
        let b1 = (mw & vec4<u32>(2048u)) != vec4<u32>(0u);
        let kg = w * 32u + 8u;
        {
          let x = vec4<f32>(X[xr0 + (kg) / 4u]);
          let xa = select(select(vec4<f32>(x.x), vec4<f32>(x.y), a0), vec4<f32>(x.z), a1);
          let xb = select(vec4<f32>(x.y), select(vec4<f32>(x.z), vec4<f32>(x.w), b0), b1);
          acc0 = fma(v2a, xa, acc0);
          acc0 = fma(v2b, xb, acc0);
        }
      }
      {
        let a0 = (mw & vec4<u32>(4096u)) != vec4<u32>(0u);
        let a1 = (mw & vec4<u32>(8192u)) != vec4<u32>(0u);
        let b0 = (mw & vec4<u32>(16384u)) != vec4<u32>(0u);
        let b1 = (mw & vec4<u32>(32768u)) != vec4<u32>(0u);
        let kg = w * 32u + 12u;
        {
          let x = vec4<f32>(X[xr0 + (kg) / 4u]);
          let xa = select(select(vec4<f32>(x.x), vec4<f32>(x.y), a0), vec4<f32>(x.z), a1);
          let xb = select(vec4<f32>(x.y), select(vec4<f32>(x.z), vec4<f32>(x.w), b0), b1);
          acc0 = fma(v3a, xa, acc0);
          acc0 = fma(v3b, xb, acc0);
        }
      }
      {
        let a0 = (mw & vec4<u32>(65536u)) != vec4<u32>(0u);
        let a1 = (mw & vec4<u32>(131072u)) != vec4<u32>(0u);
        let b0 = (mw & vec4<u32>(262144u)) != vec4<u32>(0u);
        let b1 = (mw & vec4<u32>(524288u)) != vec4<u32>(0u);
        let kg = w * 32u + 16u;
        {
          let x = vec4<f32>(X[xr0 + (kg) / 4u]);
          let xa = select(select(vec4<f32>(x.x), vec4<f32>(x.y), a0), vec4<f32>(x.z), a1);
          let xb = select(vec4<f32>(x.y), select(vec4<f32>(x.z), vec4<f32>(x.w), b0), b1);
          acc0 = fma(v4a, xa, acc0);
          acc0 = fma(v4b, xb, acc0);
        }
      }
      {
        let a0 = (mw & vec4<u32>(1048576u)) != vec4<u32>(0u);
        let a1 = (mw & vec4<u32>(2097152u)) != vec4<u32>(0u);
        let b0 = (mw & vec4<u32>(4194304u)) != vec4<u32>(0u);
        let b1 = (mw & vec4<u32>(8388608u)) != vec4<u32>(0u);
        let kg = w * 32u + 20u;
        {
          let x = vec4<f32>(X[xr0 + (kg) / 4u]);
          let xa = select(select(vec4<f32>(x.x), vec4<f32>(x.y), a0), vec4<f32>(x.z), a1);
          let xb = select(vec4<f32>(x.y), select(vec4<f32>(x.z), vec4<f32>(x.w), b0), b1);
          acc0 = fma(v5a, xa, acc0);
          acc0 = fma(v5b, xb, acc0);
        }
      }
      {
        let a0 = (mw & vec4<u32>(16777216u)) != vec4<u32>(0u);
        let a1 = (mw & vec4<u32>(33554432u)) != vec4<u32>(0u);
        let b0 = (mw & vec4<u32>(67108864u)) != vec4<u32>(0u);
        let b1 = (mw & vec4<u32>(134217728u)) != vec4<u32>(0u);
        let kg = w * 32u + 24u;
        {
          let x = vec4<f32>(X[xr0 + (kg) / 4u]);
          let xa = select(select(vec4<f32>(x.x), vec4<f32>(x.y), a0), vec4<f32>(x.z), a1);
          let xb = select(vec4<f32>(x.y), select(vec4<f32>(x.z), vec4<f32>(x.w), b0), b1);
          acc0 = fma(v6a, xa, acc0);
          acc0 = fma(v6b, xb, acc0);
        }
      }
      {
        let a0 = (mw & vec4<u32>(268435456u)) != vec4<u32>(0u);
        let a1 = (mw & vec4<u32>(536870912u)) != vec4<u32>(0u);
        let b0 = (mw & vec4<u32>(1073741824u)) != vec4<u32>(0u);
        let b1 = (mw & vec4<u32>(2147483648u)) != vec4<u32>(0u);
        let kg = w * 32u + 28u;
        {
          let x = vec4<f32>(X[xr0 + (kg) / 4u]);
          let xa = select(select(vec4<f32>(x.x), vec4<f32>(x.y), a0), vec4<f32>(x.z), a1);
          let xb = select(vec4<f32>(x.y), select(vec4<f32>(x.z), vec4<f32>(x.w), b0), b1);
          acc0 = fma(v7a, xa, acc0);
          acc0 = fma(v7b, xb, acc0);
        }
      }
    }
  }
  red[0u + lid] = acc0;
  workgroupBarrier();
  if (s < 32u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 512u];
  }
  workgroupBarrier();
  if (s < 16u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 256u];
  }
  workgroupBarrier();
  if (s < 8u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 128u];
  }
  workgroupBarrier();
  if (s < 4u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 64u];
  }
  workgroupBarrier();
  if (s < 2u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 32u];
  }
  workgroupBarrier();
  if (s < 1u) {
    red[0u + lid] = red[0u + lid] + red[0u + lid + 16u];
  }
  workgroupBarrier();
  if (s == 0u && live) {
    if (row0 + 0u < M) {
      let y = red[0u + c];
      let yr = (row0 + 0u) * N;
      Y[yr / 4u + col4] = vec4<f16>(y);
    }
  }
}
