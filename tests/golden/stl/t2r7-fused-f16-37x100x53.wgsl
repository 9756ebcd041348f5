// ==== stl-encode-f16-37x100-t2r7 ====
enable f16;
// tilebench stl encode X 37x100 t=2 r=7 f16 vec=true
@group(0) @binding(0) var<storage, read> X: array<vec2<f16>>;
@group(0) @binding(1) var<storage, read_write> Xh: array<f16>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let kt = wid.x * 64u + lid;
  let i = wid.y;
  if (kt >= 50u || i >= 19u) { return; }
  let row0 = i * 2u + 0u;
  var v0 = vec2<f32>(0.0);
  if (row0 < 37u) { v0 = vec2<f32>(X[row0 * 50u + kt]); }
  let row1 = i * 2u + 1u;
  var v1 = vec2<f32>(0.0);
  if (row1 < 37u) { v1 = vec2<f32>(X[row1 * 50u + kt]); }
  let base = i * 50u + kt;
  Xh[base + 0u] = f16(v0.x + v1.y);
  Xh[base + 950u] = f16(v1.x + v1.y);
  Xh[base + 1900u] = f16(v0.x);
  Xh[base + 2850u] = f16(v1.y);
  Xh[base + 3800u] = f16(v0.x + v0.y);
  Xh[base + 4750u] = f16(v1.x - v0.x);
  Xh[base + 5700u] = f16(v0.y - v1.y);
}
// ==== stl-fused-f16-37x100x53-t2r7 ====
enable f16;
// tilebench stl fused 37x53 planes 19x50x27 t=2 r=7 f16 block=64x64x16 thread=4x4
@group(0) @binding(0) var<storage, read> Xh: array<f16>;
@group(0) @binding(1) var<storage, read> Wh: array<f16>;
@group(0) @binding(2) var<storage, read_write> Y: array<f16>;
var<workgroup> As: array<vec4<f32>, 256>;
var<workgroup> Bs: array<vec4<f32>, 256>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let tx = lid % 16u;
  let ty = lid / 16u;
  let rowBase = wid.y * 64u;
  let colBase = wid.x * 64u;
  var o0_0_0 = vec4<f32>(0.0);
  var o0_1_0 = vec4<f32>(0.0);
  var o0_2_0 = vec4<f32>(0.0);
  var o0_3_0 = vec4<f32>(0.0);
  var o1_0_0 = vec4<f32>(0.0);
  var o1_1_0 = vec4<f32>(0.0);
  var o1_2_0 = vec4<f32>(0.0);
  var o1_3_0 = vec4<f32>(0.0);
  var o2_0_0 = vec4<f32>(0.0);
  var o2_1_0 = vec4<f32>(0.0);
  var o2_2_0 = vec4<f32>(0.0);
  var o2_3_0 = vec4<f32>(0.0);
  var o3_0_0 = vec4<f32>(0.0);
  var o3_1_0 = vec4<f32>(0.0);
  var o3_2_0 = vec4<f32>(0.0);
  var o3_3_0 = vec4<f32>(0.0);
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var acc2_0 = vec4<f32>(0.0);
  var acc3_0 = vec4<f32>(0.0);
  var la0 = vec4<f32>(0.0);
  var lb0 = vec4<f32>(0.0);
  for (var ch = 0u; ch < 7u; ch++) {
    let xOff = ch * 950u;
    let wOff = ch * 1350u;
    acc0_0 = vec4<f32>(0.0);
    acc1_0 = vec4<f32>(0.0);
    acc2_0 = vec4<f32>(0.0);
    acc3_0 = vec4<f32>(0.0);
    {
      let k0 = 0u;
      {
        let e = lid + 0u;
        let gr = rowBase + e / 4u;
        let gk = k0 + (e % 4u) * 4u;
        la0 = vec4<f32>(0.0);
        if (gr < 19u) {
          if (gk + 0u < 50u) { la0[0] = f32(Xh[xOff + gr * 50u + gk + 0u]); }
          if (gk + 1u < 50u) { la0[1] = f32(Xh[xOff + gr * 50u + gk + 1u]); }
          if (gk + 2u < 50u) { la0[2] = f32(Xh[xOff + gr * 50u + gk + 2u]); }
          if (gk + 3u < 50u) { la0[3] = f32(Xh[xOff + gr * 50u + gk + 3u]); }
        }
      }
      {
        let e = lid + 0u;
        let gk = k0 + e / 16u;
        let gc = colBase + (e % 16u) * 4u;
        lb0 = vec4<f32>(0.0);
        if (gk < 50u) {
          if (gc + 0u < 27u) { lb0[0] = f32(Wh[wOff + gk * 27u + gc + 0u]); }
          if (gc + 1u < 27u) { lb0[1] = f32(Wh[wOff + gk * 27u + gc + 1u]); }
          if (gc + 2u < 27u) { lb0[2] = f32(Wh[wOff + gk * 27u + gc + 2u]); }
          if (gc + 3u < 27u) { lb0[3] = f32(Wh[wOff + gk * 27u + gc + 3u]); }
        }
      }
    }
    {
      let e = lid + 0u;
      let row = e / 4u;
      let kq = e % 4u;
      As[(kq * 4u + 0u) * 16u + row / 4u][row % 4u] = la0[0];
      As[(kq * 4u + 1u) * 16u + row / 4u][row % 4u] = la0[1];
      As[(kq * 4u + 2u) * 16u + row / 4u][row % 4u] = la0[2];
      As[(kq * 4u + 3u) * 16u + row / 4u][row % 4u] = la0[3];
    }
    { Bs[lid + 0u] = lb0; }
    workgroupBarrier();
    for (var s = 0u; s < 4u; s++) {
      let k0 = (s + 1u) * 16u;
      let more = s + 1u < 4u;
      if (more) {
        {
          let e = lid + 0u;
          let gr = rowBase + e / 4u;
          let gk = k0 + (e % 4u) * 4u;
          la0 = vec4<f32>(0.0);
          if (gr < 19u) {
            if (gk + 0u < 50u) { la0[0] = f32(Xh[xOff + gr * 50u + gk + 0u]); }
            if (gk + 1u < 50u) { la0[1] = f32(Xh[xOff + gr * 50u + gk + 1u]); }
            if (gk + 2u < 50u) { la0[2] = f32(Xh[xOff + gr * 50u + gk + 2u]); }
            if (gk + 3u < 50u) { la0[3] = f32(Xh[xOff + gr * 50u + gk + 3u]); }
          }
        }
        {
          let e = lid + 0u;
          let gk = k0 + e / 16u;
          let gc = colBase + (e % 16u) * 4u;
          lb0 = vec4<f32>(0.0);
          if (gk < 50u) {
            if (gc + 0u < 27u) { lb0[0] = f32(Wh[wOff + gk * 27u + gc + 0u]); }
            if (gc + 1u < 27u) { lb0[1] = f32(Wh[wOff + gk * 27u + gc + 1u]); }
            if (gc + 2u < 27u) { lb0[2] = f32(Wh[wOff + gk * 27u + gc + 2u]); }
            if (gc + 3u < 27u) { lb0[3] = f32(Wh[wOff + gk * 27u + gc + 3u]); }
          }
        }
      }
      {
        let a = As[0u + ty];
        let b0 = Bs[0u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
        acc2_0 = fma(vec4<f32>(a[2]), b0, acc2_0);
        acc3_0 = fma(vec4<f32>(a[3]), b0, acc3_0);
      }
      {
        let a = As[16u + ty];
        let b0 = Bs[16u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
        acc2_0 = fma(vec4<f32>(a[2]), b0, acc2_0);
        acc3_0 = fma(vec4<f32>(a[3]), b0, acc3_0);
      }
      {
        let a = As[32u + ty];
        let b0 = Bs[32u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
        acc2_0 = fma(vec4<f32>(a[2]), b0, acc2_0);
        acc3_0 = fma(vec4<f32>(a[3]), b0, acc3_0);
      }
      {
        let a = As[48u + ty];
        let b0 = Bs[48u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
        acc2_0 = fma(vec4<f32>(a[2]), b0, acc2_0);
        acc3_0 = fma(vec4<f32>(a[3]), b0, acc3_0);
      }
      {
        let a = As[64u + ty];
        let b0 = Bs[64u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
        acc2_0 = fma(vec4<f32>(a[2]), b0, acc2_0);
        acc3_0 = fma(vec4<f32>(a[3]), b0, acc3_0);
      }
      {
        let a = As[80u + ty];
        let b0 = Bs[80u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
        acc2_0 = fma(vec4<f32>(a[2]), b0, acc2_0);
        acc3_0 = fma(vec4<f32>(a[3]), b0, acc3_0);
      }
      {
        let a = As[96u + ty];
        let b0 = Bs[96u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
        acc2_0 = fma(vec4<f32>(a[2]), b0, acc2_0);
        acc3_0 = fma(vec4<f32>(a[3]), b0, acc3_0);
      }
      {
        let a = As[112u + ty];
        let b0 = Bs[112u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
        acc2_0 = fma(vec4<f32>(a[2]), b0, acc2_0);
        acc3_0 = fma(vec4<f32>(a[3]), b0, acc3_0);
      }
      {
        let a = As[128u + ty];
        let b0 = Bs[128u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
        acc2_0 = fma(vec4<f32>(a[2]), b0, acc2_0);
        acc3_0 = fma(vec4<f32>(a[3]), b0, acc3_0);
      }
      {
        let a = As[144u + ty];
        let b0 = Bs[144u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
        acc2_0 = fma(vec4<f32>(a[2]), b0, acc2_0);
        acc3_0 = fma(vec4<f32>(a[3]), b0, acc3_0);
      }
      {
        let a = As[160u + ty];
        let b0 = Bs[160u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
        acc2_0 = fma(vec4<f32>(a[2]), b0, acc2_0);
        acc3_0 = fma(vec4<f32>(a[3]), b0, acc3_0);
      }
      {
        let a = As[176u + ty];
        let b0 = Bs[176u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
        acc2_0 = fma(vec4<f32>(a[2]), b0, acc2_0);
        acc3_0 = fma(vec4<f32>(a[3]), b0, acc3_0);
      }
      {
        let a = As[192u + ty];
        let b0 = Bs[192u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
        acc2_0 = fma(vec4<f32>(a[2]), b0, acc2_0);
        acc3_0 = fma(vec4<f32>(a[3]), b0, acc3_0);
      }
      {
        let a = As[208u + ty];
        let b0 = Bs[208u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
        acc2_0 = fma(vec4<f32>(a[2]), b0, acc2_0);
        acc3_0 = fma(vec4<f32>(a[3]), b0, acc3_0);
      }
      {
        let a = As[224u + ty];
        let b0 = Bs[224u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
        acc2_0 = fma(vec4<f32>(a[2]), b0, acc2_0);
        acc3_0 = fma(vec4<f32>(a[3]), b0, acc3_0);
      }
      {
        let a = As[240u + ty];
        let b0 = Bs[240u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
        acc2_0 = fma(vec4<f32>(a[2]), b0, acc2_0);
        acc3_0 = fma(vec4<f32>(a[3]), b0, acc3_0);
      }
      workgroupBarrier();
      if (more) {
        {
          let e = lid + 0u;
          let row = e / 4u;
          let kq = e % 4u;
          As[(kq * 4u + 0u) * 16u + row / 4u][row % 4u] = la0[0];
          As[(kq * 4u + 1u) * 16u + row / 4u][row % 4u] = la0[1];
          As[(kq * 4u + 2u) * 16u + row / 4u][row % 4u] = la0[2];
          As[(kq * 4u + 3u) * 16u + row / 4u][row % 4u] = la0[3];
        }
        { Bs[lid + 0u] = lb0; }
      }
      workgroupBarrier();
    }
    switch ch {
      case 0u: {
        o0_0_0 += acc0_0;
        o0_1_0 += acc1_0;
        o0_2_0 += acc2_0;
        o0_3_0 += acc3_0;
        o3_0_0 += acc0_0;
        o3_1_0 += acc1_0;
        o3_2_0 += acc2_0;
        o3_3_0 += acc3_0;
      }
      case 1u: {
        o2_0_0 += acc0_0;
        o2_1_0 += acc1_0;
        o2_2_0 += acc2_0;
        o2_3_0 += acc3_0;
        o3_0_0 -= acc0_0;
        o3_1_0 -= acc1_0;
        o3_2_0 -= acc2_0;
        o3_3_0 -= acc3_0;
      }
      case 2u: {
        o1_0_0 += acc0_0;
        o1_1_0 += acc1_0;
        o1_2_0 += acc2_0;
        o1_3_0 += acc3_0;
        o3_0_0 += acc0_0;
        o3_1_0 += acc1_0;
        o3_2_0 += acc2_0;
        o3_3_0 += acc3_0;
      }
      case 3u: {
        o0_0_0 += acc0_0;
        o0_1_0 += acc1_0;
        o0_2_0 += acc2_0;
        o0_3_0 += acc3_0;
        o2_0_0 += acc0_0;
        o2_1_0 += acc1_0;
        o2_2_0 += acc2_0;
        o2_3_0 += acc3_0;
      }
      case 4u: {
        o0_0_0 -= acc0_0;
        o0_1_0 -= acc1_0;
        o0_2_0 -= acc2_0;
        o0_3_0 -= acc3_0;
        o1_0_0 += acc0_0;
        o1_1_0 += acc1_0;
        o1_2_0 += acc2_0;
        o1_3_0 += acc3_0;
      }
      case 5u: {
        o3_0_0 += acc0_0;
        o3_1_0 += acc1_0;
        o3_2_0 += acc2_0;
        o3_3_0 += acc3_0;
      }
      case 6u: {
        o0_0_0 += acc0_0;
        o0_1_0 += acc1_0;
        o0_2_0 += acc2_0;
        o0_3_0 += acc3_0;
      }
      default: {}
    }
  }
  {
    let pr = rowBase + ty * 4u + 0u;
    {
      let y = pr * 2u + 0u;
      if (y < 37u) {
        {
          let pc = colBase + (tx + 0u) * 4u + 0u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o0_0_0[0]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o1_0_0[0]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 1u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o0_0_0[1]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o1_0_0[1]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 2u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o0_0_0[2]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o1_0_0[2]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 3u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o0_0_0[3]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o1_0_0[3]); }
        }
      }
    }
    {
      let y = pr * 2u + 1u;
      if (y < 37u) {
        {
          let pc = colBase + (tx + 0u) * 4u + 0u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o2_0_0[0]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o3_0_0[0]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 1u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o2_0_0[1]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o3_0_0[1]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 2u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o2_0_0[2]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o3_0_0[2]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 3u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o2_0_0[3]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o3_0_0[3]); }
        }
      }
    }
  }
  {
    let pr = rowBase + ty * 4u + 1u;
    {
      let y = pr * 2u + 0u;
      if (y < 37u) {
        {
          let pc = colBase + (tx + 0u) * 4u + 0u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o0_1_0[0]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o1_1_0[0]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 1u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o0_1_0[1]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o1_1_0[1]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 2u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o0_1_0[2]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o1_1_0[2]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 3u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o0_1_0[3]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o1_1_0[3]); }
        }
      }
    }
    {
      let y = pr * 2u + 1u;
      if (y < 37u) {
        {
          let pc = colBase + (tx + 0u) * 4u + 0u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o2_1_0[0]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o3_1_0[0]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 1u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o2_1_0[1]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o3_1_0[1]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 2u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o2_1_0[2]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o3_1_0[2]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 3u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o2_1_0[3]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o3_1_0[3]); }
        }
      }
    }
  }
  {
    let pr = rowBase + ty * 4u + 2u;
    {
      let y = pr * 2u + 0u;
      if (y < 37u) {
        {
          let pc = colBase + (tx + 0u) * 4u + 0u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o0_2_0[0]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o1_2_0[0]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 1u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o0_2_0[1]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o1_2_0[1]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 2u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o0_2_0[2]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o1_2_0[2]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 3u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o0_2_0[3]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o1_2_0[3]); }
        }
      }
    }
    {
      let y = pr * 2u + 1u;
      if (y < 37u) {
        {
          let pc = colBase + (tx + 0u) * 4u + 0u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o2_2_0[0]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o3_2_0[0]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 1u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o2_2_0[1]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o3_2_0[1]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 2u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o2_2_0[2]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o3_2_0[2]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 3u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o2_2_0[3]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o3_2_0[3]); }
        }
      }
    }
  }
  {
    let pr = rowBase + ty * 4u + 3u;
    {
      let y = pr * 2u + 0u;
      if (y < 37u) {
        {
          let pc = colBase + (tx + 0u) * 4u + 0u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o0_3_0[0]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o1_3_0[0]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 1u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o0_3_0[1]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o1_3_0[1]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 2u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o0_3_0[2]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o1_3_0[2]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 3u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o0_3_0[3]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o1_3_0[3]); }
        }
      }
    }
    {
      let y = pr * 2u + 1u;
      if (y < 37u) {
        {
          let pc = colBase + (tx + 0u) * 4u + 0u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o2_3_0[0]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o3_3_0[0]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 1u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o2_3_0[1]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o3_3_0[1]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 2u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o2_3_0[2]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o3_3_0[2]); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 3u;
          if (pc * 2u + 0u < 53u) { Y[y * 53u + pc * 2u + 0u] = f16(o2_3_0[3]); }
          if (pc * 2u + 1u < 53u) { Y[y * 53u + pc * 2u + 1u] = f16(o3_3_0[3]); }
        }
      }
    }
  }
}
