// ==== stl-encode-f32-64x128-t4r8 ====
// tilebench stl encode X 64x128 t=4 r=8 f32 vec=true
@group(0) @binding(0) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> Xh: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let kt = wid.x * 64u + lid;
  let i = wid.y;
  if (kt >= 32u || i >= 16u) { return; }
  let row0 = i * 4u + 0u;
  var v0 = vec4<f32>(0.0);
  if (row0 < 64u) { v0 = vec4<f32>(X[row0 * 32u + kt]); }
  let row1 = i * 4u + 1u;
  var v1 = vec4<f32>(0.0);
  if (row1 < 64u) { v1 = vec4<f32>(X[row1 * 32u + kt]); }
  let row2 = i * 4u + 2u;
  var v2 = vec4<f32>(0.0);
  if (row2 < 64u) { v2 = vec4<f32>(X[row2 * 32u + kt]); }
  let row3 = i * 4u + 3u;
  var v3 = vec4<f32>(0.0);
  if (row3 < 64u) { v3 = vec4<f32>(X[row3 * 32u + kt]); }
  let base = i * 32u + kt;
  Xh[base + 0u] = f32(0.6136723160743713 * v0.x + 0.8159913420677185 * v0.y + 0.4630860686302185 * v0.z - 0.4973141849040985 * v0.w + 0.38723626732826233 * v1.x + 0.5151131749153137 * v1.y + 0.2925138771533966 * v1.z - 0.31392404437065125 * v1.w - 0.9550610780715942 * v2.x - 1.2695591449737549 * v2.y - 0.7200842499732971 * v2.z + 0.773855984210968 * v2.w - 0.3123489320278168 * v3.x - 0.4152112603187561 * v3.y - 0.23556701838970184 * v3.z + 0.2530258893966675 * v3.w);
  Xh[base + 512u] = f32(0.6668044924736023 * v0.x + 0.4777349829673767 * v0.y - 0.049122557044029236 * v0.z - 0.3384426534175873 * v0.w + 0.61342853307724 * v1.x + 0.43967607617378235 * v1.y - 0.044954024255275726 * v1.z - 0.3113844692707062 * v1.w - 1.5933493375778198 * v2.x - 1.1410537958145142 * v2.y + 0.11801905930042267 * v2.z + 0.8082027435302734 * v2.w - 0.46044373512268066 * v3.x - 0.3296303153038025 * v3.y + 0.03403704985976219 * v3.z + 0.2335505187511444 * v3.w);
  Xh[base + 1024u] = f32(0.6888031363487244 * v0.x - 0.05194951221346855 * v0.y - 0.7880886197090149 * v0.z - 0.0018868495244532824 * v0.w + 1.3364510536193848 * v1.x - 0.10070652514696121 * v1.y - 1.5275152921676636 * v1.z - 0.0032930171582847834 * v1.w + 0.78330397605896 * v2.x - 0.05814740061759949 * v2.y - 0.8946486115455627 * v2.z - 0.0025685634464025497 * v2.w + 0.0668269544839859 * v3.x - 0.004688536282628775 * v3.y - 0.07708846032619476 * v3.z - 0.0009706226410344243 * v3.w);
  Xh[base + 1536u] = f32(-0.9245273470878601 * v0.x + 1.2439759969711304 * v0.y - 0.8973986506462097 * v0.z + 0.06454324722290039 * v0.w + 0.122660793364048 * v1.x - 0.165220707654953 * v1.y + 0.11917732656002045 * v1.z - 0.009372320957481861 * v1.w + 0.735578715801239 * v2.x - 0.989740252494812 * v2.y + 0.7139254212379456 * v2.z - 0.05252720043063164 * v2.w + 0.26335495710372925 * v3.x - 0.35428524017333984 * v3.y + 0.2556212842464447 * v3.z - 0.01740407571196556 * v3.w);
  Xh[base + 2048u] = f32(-0.42464327812194824 * v0.x + 0.17593275010585785 * v0.y - 0.32945510745048523 * v0.z - 0.5416975021362305 * v0.w + 0.3253799080848694 * v1.x - 0.13452914357185364 * v1.y + 0.2510472536087036 * v1.z + 0.4141021966934204 * v1.w - 0.16174909472465515 * v2.x + 0.06701336055994034 * v2.y - 0.12580403685569763 * v2.z - 0.2064736932516098 * v2.w - 1.2113484144210815 * v3.x + 0.5015548467636108 * v3.y - 0.9383445978164673 * v3.z - 1.5441993474960327 * v3.w);
  Xh[base + 2560u] = f32(0.22083698213100433 * v0.x - 0.2952462434768677 * v0.y + 0.2127087116241455 * v0.z - 0.013681625947356224 * v0.w - 1.1277495622634888 * v1.x + 1.5081080198287964 * v1.y - 1.0864030122756958 * v1.z + 0.07035686820745468 * v1.w + 0.5575259327888489 * v2.x - 0.7457478046417236 * v2.y + 0.5373033285140991 * v2.z - 0.03492570295929909 * v2.w - 0.08780433237552643 * v3.x + 0.11738760769367218 * v3.y - 0.08455636352300644 * v3.z + 0.005482021253556013 * v3.w);
  Xh[base + 3072u] = f32(-0.2980462610721588 * v0.x + 0.6980616450309753 * v0.y + 0.13756369054317474 * v0.z + 0.37698066234588623 * v0.w + 0.17686015367507935 * v1.x - 0.4142940640449524 * v1.y - 0.08166299015283585 * v1.z - 0.2236984670162201 * v1.w - 0.1047462522983551 * v2.x + 0.24556738138198853 * v2.y + 0.048368796706199646 * v2.z + 0.13255158066749573 * v2.w + 0.7583181262016296 * v3.x - 1.7761590480804443 * v3.y - 0.35003527998924255 * v3.z - 0.9591447710990906 * v3.w);
  Xh[base + 3584u] = f32(0.16263867914676666 * v0.x - 0.1768048256635666 * v0.y + 0.15266528725624084 * v0.z + 0.5875706672668457 * v0.w + 0.21388351917266846 * v1.x - 0.23229900002479553 * v1.y + 0.2007291316986084 * v1.z + 0.7762711644172668 * v1.w + 0.30723416805267334 * v2.x - 0.3336678445339203 * v2.y + 0.28831183910369873 * v2.z + 1.116796612739563 * v2.w - 0.3869122564792633 * v3.x + 0.42035019397735596 * v3.y - 0.3631570041179657 * v3.z - 1.403143286705017 * v3.w);
}
// ==== stl-fused-f32-64x128x96-t4r8 ====
// tilebench stl fused 64x96 planes 16x32x24 t=4 r=8 f32 block=32x64x16 thread=2x4
@group(0) @binding(0) var<storage, read> Xh: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> Wh: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> Y: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> GAMMA: array<vec4<f32>, 32>;
var<workgroup> As: array<vec2<f32>, 256>;
var<workgroup> Bs: array<vec4<f32>, 256>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let tx = lid % 16u;
  let ty = lid / 16u;
  let rowBase = wid.y * 32u;
  let colBase = wid.x * 64u;
  var o0_0_0 = vec4<f32>(0.0);
  var o0_1_0 = vec4<f32>(0.0);
  var o1_0_0 = vec4<f32>(0.0);
  var o1_1_0 = vec4<f32>(0.0);
  var o2_0_0 = vec4<f32>(0.0);
  var o2_1_0 = vec4<f32>(0.0);
  var o3_0_0 = vec4<f32>(0.0);
  var o3_1_0 = vec4<f32>(0.0);
  var o4_0_0 = vec4<f32>(0.0);
  var o4_1_0 = vec4<f32>(0.0);
  var o5_0_0 = vec4<f32>(0.0);
  var o5_1_0 = vec4<f32>(0.0);
  var o6_0_0 = vec4<f32>(0.0);
  var o6_1_0 = vec4<f32>(0.0);
  var o7_0_0 = vec4<f32>(0.0);
  var o7_1_0 = vec4<f32>(0.0);
  var o8_0_0 = vec4<f32>(0.0);
  var o8_1_0 = vec4<f32>(0.0);
  var o9_0_0 = vec4<f32>(0.0);
  var o9_1_0 = vec4<f32>(0.0);
  var o10_0_0 = vec4<f32>(0.0);
  var o10_1_0 = vec4<f32>(0.0);
  var o11_0_0 = vec4<f32>(0.0);
  var o11_1_0 = vec4<f32>(0.0);
  var o12_0_0 = vec4<f32>(0.0);
  var o12_1_0 = vec4<f32>(0.0);
  var o13_0_0 = vec4<f32>(0.0);
  var o13_1_0 = vec4<f32>(0.0);
  var o14_0_0 = vec4<f32>(0.0);
  var o14_1_0 = vec4<f32>(0.0);
  var o15_0_0 = vec4<f32>(0.0);
  var o15_1_0 = vec4<f32>(0.0);
  var acc0_0 = vec4<f32>(0.0);
  var acc1_0 = vec4<f32>(0.0);
  var la0 = vec4<f32>(0.0);
  var lb0 = vec4<f32>(0.0);
  for (var ch = 0u; ch < 8u; ch++) {
    let xOff = ch * 128u;
    let wOff = ch * 192u;
    acc0_0 = vec4<f32>(0.0);
    acc1_0 = vec4<f32>(0.0);
    {
      let k0 = 0u;
      {
        let e = lid + 0u;
        let gr = rowBase + e / 4u;
        let gk = k0 + (e % 4u) * 4u;
        la0 = vec4<f32>(0.0);
        if (lid + 0u < 128u && gr < 16u && gk < 32u) { la0 = vec4<f32>(Xh[xOff + gr * 8u + gk / 4u]); }
      }
      {
        let e = lid + 0u;
        let gk = k0 + e / 16u;
        let gc = colBase + (e % 16u) * 4u;
        lb0 = vec4<f32>(0.0);
        if (gk < 32u && gc < 24u) { lb0 = vec4<f32>(Wh[wOff + gk * 6u + gc / 4u]); }
      }
    }
    if (lid + 0u < 128u) {
      let e = lid + 0u;
      let row = e / 4u;
      let kq = e % 4u;
      As[(kq * 4u + 0u) * 16u + row / 2u][row % 2u] = la0[0];
      As[(kq * 4u + 1u) * 16u + row / 2u][row % 2u] = la0[1];
      As[(kq * 4u + 2u) * 16u + row / 2u][row % 2u] = la0[2];
      As[(kq * 4u + 3u) * 16u + row / 2u][row % 2u] = la0[3];
    }
    { Bs[lid + 0u] = lb0; }
    workgroupBarrier();
    for (var s = 0u; s < 2u; s++) {
      let k0 = (s + 1u) * 16u;
      let more = s + 1u < 2u;
      if (more) {
        {
          let e = lid + 0u;
          let gr = rowBase + e / 4u;
          let gk = k0 + (e % 4u) * 4u;
          la0 = vec4<f32>(0.0);
          if (lid + 0u < 128u && gr < 16u && gk < 32u) { la0 = vec4<f32>(Xh[xOff + gr * 8u + gk / 4u]); }
        }
        {
          let e = lid + 0u;
          let gk = k0 + e / 16u;
          let gc = colBase + (e % 16u) * 4u;
          lb0 = vec4<f32>(0.0);
          if (gk < 32u && gc < 24u) { lb0 = vec4<f32>(Wh[wOff + gk * 6u + gc / 4u]); }
        }
      }
      {
        let a = As[0u + ty];
        let b0 = Bs[0u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
      }
      {
        let a = As[16u + ty];
        let b0 = Bs[16u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
      }
      {
        let a = As[32u + ty];
        let b0 = Bs[32u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
      }
      {
        let a = As[48u + ty];
        let b0 = Bs[48u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
      }
      {
        let a = As[64u + ty];
        let b0 = Bs[64u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
      }
      {
        let a = As[80u + ty];
        let b0 = Bs[80u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
      }
      {
        let a = As[96u + ty];
        let b0 = Bs[96u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
      }
      {
        let a = As[112u + ty];
        let b0 = Bs[112u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
      }
      {
        let a = As[128u + ty];
        let b0 = Bs[128u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
      }
      {
        let a = As[144u + ty];
        let b0 = Bs[144u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
      }
      {
        let a = As[160u + ty];
        let b0 = Bs[160u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
      }
      {
        let a = As[176u + ty];
        let b0 = Bs[176u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
      }
      {
        let a = As[192u + ty];
        let b0 = Bs[192u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
      }
      {
        let a = As[208u + ty];
        let b0 = Bs[208u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
      }
      {
        let a = As[224u + ty];
        let b0 = Bs[224u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
      }
      {
        let a = As[240u + ty];
        let b0 = Bs[240u + tx + 0u];
        acc0_0 = fma(vec4<f32>(a[0]), b0, acc0_0);
        acc1_0 = fma(vec4<f32>(a[1]), b0, acc1_0);
      }
      workgroupBarrier();
      if (more) {
        if (lid + 0u < 128u) {
          let e = lid + 0u;
          let row = e / 4u;
          let kq = e % 4u;
          As[(kq * 4u + 0u) * 16u + row / 2u][row % 2u] = la0[0];
          As[(kq * 4u + 1u) * 16u + row / 2u][row % 2u] = la0[1];
          As[(kq * 4u + 2u) * 16u + row / 2u][row % 2u] = la0[2];
          As[(kq * 4u + 3u) * 16u + row / 2u][row % 2u] = la0[3];
        }
        { Bs[lid + 0u] = lb0; }
      }
      workgroupBarrier();
    }
    let g0 = GAMMA[ch * 4u + 0u];
    let g1 = GAMMA[ch * 4u + 1u];
    let g2 = GAMMA[ch * 4u + 2u];
    let g3 = GAMMA[ch * 4u + 3u];
    o0_0_0 = fma(vec4<f32>(g0[0]), acc0_0, o0_0_0);
    o0_1_0 = fma(vec4<f32>(g0[0]), acc1_0, o0_1_0);
    o1_0_0 = fma(vec4<f32>(g0[1]), acc0_0, o1_0_0);
    o1_1_0 = fma(vec4<f32>(g0[1]), acc1_0, o1_1_0);
    o2_0_0 = fma(vec4<f32>(g0[2]), acc0_0, o2_0_0);
    o2_1_0 = fma(vec4<f32>(g0[2]), acc1_0, o2_1_0);
    o3_0_0 = fma(vec4<f32>(g0[3]), acc0_0, o3_0_0);
    o3_1_0 = fma(vec4<f32>(g0[3]), acc1_0, o3_1_0);
    o4_0_0 = fma(vec4<f32>(g1[0]), acc0_0, o4_0_0);
    o4_1_0 = fma(vec4<f32>(g1[0]), acc1_0, o4_1_0);
    o5_0_0 = fma(vec4<f32>(g1[1]), acc0_0, o5_0_0);
    o5_1_0 = fma(vec4<f32>(g1[1]), acc1_0, o5_1_0);
    o6_0_0 = fma(vec4<f32>(g1[2]), acc0_0, o6_0_0);
    o6_1_0 = fma(vec4<f32>(g1[2]), acc1_0, o6_1_0);
    o7_0_0 = fma(vec4<f32>(g1[3]), acc0_0, o7_0_0);
    o7_1_0 = fma(vec4<f32>(g1[3]), acc1_0, o7_1_0);
    o8_0_0 = fma(vec4<f32>(g2[0]), acc0_0, o8_0_0);
    o8_1_0 = fma(vec4<f32>(g2[0]), acc1_0, o8_1_0);
    o9_0_0 = fma(vec4<f32>(g2[1]), acc0_0, o9_0_0);
    o9_1_0 = fma(vec4<f32>(g2[1]), acc1_0, o9_1_0);
    o10_0_0 = fma(vec4<f32>(g2[2]), acc0_0, o10_0_0);
    o10_1_0 = fma(vec4<f32>(g2[2]), acc1_0, o10_1_0);
    o11_0_0 = fma(vec4<f32>(g2[3]), acc0_0, o11_0_0);
    o11_1_0 = fma(vec4<f32>(g2[3]), acc1_0, o11_1_0);
    o12_0_0 = fma(vec4<f32>(g3[0]), acc0_0, o12_0_0);
    o12_1_0 = fma(vec4<f32>(g3[0]), acc1_0, o12_1_0);
    o13_0_0 = fma(vec4<f32>(g3[1]), acc0_0, o13_0_0);
    o13_1_0 = fma(vec4<f32>(g3[1]), acc1_0, o13_1_0);
    o14_0_0 = fma(vec4<f32>(g3[2]), acc0_0, o14_0_0);
    o14_1_0 = fma(vec4<f32>(g3[2]), acc1_0, o14_1_0);
    o15_0_0 = fma(vec4<f32>(g3[3]), acc0_0, o15_0_0);
    o15_1_0 = fma(vec4<f32>(g3[3]), acc1_0, o15_1_0);
  }
  {
    let pr = rowBase + ty * 2u + 0u;
    {
      let y = pr * 4u + 0u;
      if (y < 64u) {
        {
          let pc = colBase + (tx + 0u) * 4u + 0u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o0_0_0[0], o1_0_0[0], o2_0_0[0], o3_0_0[0])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 1u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o0_0_0[1], o1_0_0[1], o2_0_0[1], o3_0_0[1])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 2u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o0_0_0[2], o1_0_0[2], o2_0_0[2], o3_0_0[2])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 3u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o0_0_0[3], o1_0_0[3], o2_0_0[3], o3_0_0[3])); }
        }
      }
    }
    {
      let y = pr * 4u + 1u;
      if (y < 64u) {
        {
          let pc = colBase + (tx + 0u) * 4u + 0u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o4_0_0[0], o5_0_0[0], o6_0_0[0], o7_0_0[0])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 1u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o4_0_0[1], o5_0_0[1], o6_0_0[1], o7_0_0[1])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 2u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o4_0_0[2], o5_0_0[2], o6_0_0[2], o7_0_0[2])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 3u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o4_0_0[3], o5_0_0[3], o6_0_0[3], o7_0_0[3])); }
        }
      }
    }
    {
      let y = pr * 4u + 2u;
      if (y < 64u) {
        {
          let pc = colBase + (tx + 0u) * 4u + 0u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o8_0_0[0], o9_0_0[0], o10_0_0[0], o11_0_0[0])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 1u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o8_0_0[1], o9_0_0[1], o10_0_0[1], o11_0_0[1])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 2u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o8_0_0[2], o9_0_0[2], o10_0_0[2], o11_0_0[2])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 3u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o8_0_0[3], o9_0_0[3], o10_0_0[3], o11_0_0[3])); }
        }
      }
    }
    {
      let y = pr * 4u + 3u;
      if (y < 64u) {
        {
          let pc = colBase + (tx + 0u) * 4u + 0u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o12_0_0[0], o13_0_0[0], o14_0_0[0], o15_0_0[0])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 1u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o12_0_0[1], o13_0_0[1], o14_0_0[1], o15_0_0[1])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 2u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o12_0_0[2], o13_0_0[2], o14_0_0[2], o15_0_0[2])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 3u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o12_0_0[3], o13_0_0[3], o14_0_0[3], o15_0_0[3])); }
        }
      }
    }
  }
  {
    let pr = rowBase + ty * 2u + 1u;
    {
      let y = pr * 4u + 0u;
      if (y < 64u) {
        {
          let pc = colBase + (tx + 0u) * 4u + 0u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o0_1_0[0], o1_1_0[0], o2_1_0[0], o3_1_0[0])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 1u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o0_1_0[1], o1_1_0[1], o2_1_0[1], o3_1_0[1])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 2u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o0_1_0[2], o1_1_0[2], o2_1_0[2], o3_1_0[2])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 3u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o0_1_0[3], o1_1_0[3], o2_1_0[3], o3_1_0[3])); }
        }
      }
    }
    {
      let y = pr * 4u + 1u;
      if (y < 64u) {
        {
          let pc = colBase + (tx + 0u) * 4u + 0u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o4_1_0[0], o5_1_0[0], o6_1_0[0], o7_1_0[0])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 1u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o4_1_0[1], o5_1_0[1], o6_1_0[1], o7_1_0[1])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 2u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o4_1_0[2], o5_1_0[2], o6_1_0[2], o7_1_0[2])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 3u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o4_1_0[3], o5_1_0[3], o6_1_0[3], o7_1_0[3])); }
        }
      }
    }
    {
      let y = pr * 4u + 2u;
      if (y < 64u) {
        {
          let pc = colBase + (tx + 0u) * 4u + 0u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o8_1_0[0], o9_1_0[0], o10_1_0[0], o11_1_0[0])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 1u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o8_1_0[1], o9_1_0[1], o10_1_0[1], o11_1_0[1])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 2u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o8_1_0[2], o9_1_0[2], o10_1_0[2], o11_1_0[2])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 3u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o8_1_0[3], o9_1_0[3], o10_1_0[3], o11_1_0[3])); }
        }
      }
    }
    {
      let y = pr * 4u + 3u;
      if (y < 64u) {
        {
          let pc = colBase + (tx + 0u) * 4u + 0u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o12_1_0[0], o13_1_0[0], o14_1_0[0], o15_1_0[0])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 1u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o12_1_0[1], o13_1_0[1], o14_1_0[1], o15_1_0[1])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 2u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o12_1_0[2], o13_1_0[2], o14_1_0[2], o15_1_0[2])); }
        }
        {
          let pc = colBase + (tx + 0u) * 4u + 3u;
          if (pc < 24u) { Y[y * 24u + pc] = vec4<f32>(vec4<f32>(o12_1_0[3], o13_1_0[3], o14_1_0[3], o15_1_0[3])); }
        }
      }
    }
  }
}
