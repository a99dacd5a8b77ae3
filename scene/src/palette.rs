//! Colours and technique per painting style.

use art::Style;

pub type C = [f32; 3];

pub const fn hex(rgb: u32) -> C {
    [
        ((rgb >> 16) & 255) as f32 / 255.0,
        ((rgb >> 8) & 255) as f32 / 255.0,
        (rgb & 255) as f32 / 255.0,
    ]
}

pub fn mix(a: C, b: C, t: f32) -> C {
    [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}

pub fn scale(a: C, k: f32) -> C {
    [a[0] * k, a[1] * k, a[2] * k]
}

pub struct Palette {
    pub sky_top: C,
    pub sky_horizon: C,
    pub orb: C,
    pub glow: C,
    pub cloud: C,
    pub cloud_shade: C,
    pub mountain: C,
    pub snow: C,
    pub hill: C,
    pub grass: C,
    pub grass_far: C,
    pub water: C,
    pub pine: C,
    pub broadleaf: C,
    pub trunk: C,
    pub wall: C,
    pub roof: C,
    pub road: C,
    pub field: [C; 2],
    pub flowers: [C; 3],
    pub rock: C,
    pub star: C,
    /// Painting technique: oil (short opaque dabs) or watercolour (washes).
    pub watercolour: bool,
    /// Extra faint stars, for night skies.
    pub starry: bool,
}

/// The palette of a style.
pub fn palette(style: Style) -> Palette {
    match style {
        Style::OilDay => DAY,
        Style::OilSunset => SUNSET,
        Style::Watercolour => WATERCOLOUR,
        Style::Night => NIGHT,
        Style::Autumn => AUTUMN,
        Style::Winter => WINTER,
    }
}

/// Oil, by day: the palette the others start from.
const DAY: Palette = Palette {
    sky_top: hex(0x3d7cc9),
    sky_horizon: hex(0xb9d6ee),
    orb: hex(0xfff4c2),
    glow: hex(0xfff0b0),
    cloud: hex(0xffffff),
    cloud_shade: hex(0xb8c4d6),
    mountain: hex(0x5d6f8e),
    snow: hex(0xf4f6fb),
    hill: hex(0x6f9a4a),
    grass: hex(0x5f9140),
    grass_far: hex(0x8db25e),
    water: hex(0x3f78b5),
    pine: hex(0x24502f),
    broadleaf: hex(0x3f7a32),
    trunk: hex(0x5a3d25),
    wall: hex(0xe8dcc2),
    roof: hex(0xa8452f),
    road: hex(0xc2a97e),
    field: [hex(0xd8c064), hex(0x9bb955)],
    flowers: [hex(0xe0413a), hex(0xf2d64b), hex(0xf4f0f0)],
    rock: hex(0x8a8580),
    star: hex(0xffffff),
    watercolour: false,
    starry: false,
};

const SUNSET: Palette = Palette {
    sky_top: hex(0x4a3b78),
    sky_horizon: hex(0xf39a4c),
    orb: hex(0xffd27a),
    glow: hex(0xff9a50),
    cloud: hex(0xf7a67a),
    cloud_shade: hex(0x8c5478),
    mountain: hex(0x6a4a6e),
    snow: hex(0xf6c4a8),
    hill: hex(0x6a6a3c),
    grass: hex(0x5d6a2e),
    grass_far: hex(0x9a8a48),
    water: hex(0x7a5a8c),
    pine: hex(0x2c2a30),
    broadleaf: hex(0x4a4a28),
    trunk: hex(0x3a2520),
    wall: hex(0xf0b88a),
    roof: hex(0x8a3325),
    road: hex(0xc98e64),
    field: [hex(0xd9a04a), hex(0xa38a3c)],
    flowers: [hex(0xe8503a), hex(0xf7c84b), hex(0xf9d9c4)],
    rock: hex(0x7a5e5e),
    ..DAY
};

const WATERCOLOUR: Palette = Palette {
    sky_top: hex(0x7fb2de),
    sky_horizon: hex(0xe8f1f4),
    cloud_shade: hex(0xcdd6e2),
    mountain: hex(0x8d9cbc),
    hill: hex(0x9cc47a),
    grass: hex(0x8fbf6a),
    grass_far: hex(0xbcd68e),
    water: hex(0x79abd6),
    pine: hex(0x4f7d58),
    broadleaf: hex(0x74a45a),
    roof: hex(0xd0715a),
    watercolour: true,
    ..DAY
};

const NIGHT: Palette = Palette {
    sky_top: hex(0x0b1230),
    sky_horizon: hex(0x2a3a6a),
    orb: hex(0xf2f0da),
    glow: hex(0x8ea0c8),
    cloud: hex(0x4a5478),
    cloud_shade: hex(0x1c2240),
    mountain: hex(0x1e2846),
    snow: hex(0x9aa8c8),
    hill: hex(0x1c3030),
    grass: hex(0x16282a),
    grass_far: hex(0x22363c),
    water: hex(0x1a2c56),
    pine: hex(0x0c1a1c),
    broadleaf: hex(0x12241e),
    trunk: hex(0x1a1410),
    wall: hex(0x6a6450),
    roof: hex(0x3a2428),
    road: hex(0x3c3c40),
    field: [hex(0x3a3c2a), hex(0x24302a)],
    flowers: [hex(0x7a3a4a), hex(0x8a8a4a), hex(0x8a8a9a)],
    rock: hex(0x3a3c48),
    star: hex(0xfffbe6),
    starry: true,
    ..DAY
};

const AUTUMN: Palette = Palette {
    sky_top: hex(0x6d8fb8),
    sky_horizon: hex(0xe6d2a8),
    glow: hex(0xffe0a0),
    mountain: hex(0x7a6a7a),
    hill: hex(0xb0772e),
    grass: hex(0x9a7a34),
    grass_far: hex(0xc49a4a),
    water: hex(0x4f6f8a),
    pine: hex(0x3a4a2a),
    broadleaf: hex(0xc8571e),
    field: [hex(0xd49a3a), hex(0xa86a2a)],
    flowers: [hex(0xb8321e), hex(0xe0a030), hex(0xe8d0b0)],
    ..DAY
};

const WINTER: Palette = Palette {
    sky_top: hex(0x8fa6c2),
    sky_horizon: hex(0xdfe6ee),
    orb: hex(0xfdf8e8),
    glow: hex(0xf4f0e0),
    mountain: hex(0x8a96aa),
    snow: hex(0xffffff),
    hill: hex(0xe6ecf2),
    grass: hex(0xeef2f6),
    grass_far: hex(0xdde4ec),
    water: hex(0x6a8aa8),
    pine: hex(0x2e4a42),
    broadleaf: hex(0x6a5a50),
    wall: hex(0xcfc2ae),
    roof: hex(0xf4f6fa),
    road: hex(0xb8b6b4),
    field: [hex(0xe4eaf0), hex(0xd2dae4)],
    flowers: [hex(0xc8d4e2), hex(0xe8eef4), hex(0xb8c6d6)],
    rock: hex(0x6e7078),
    ..DAY
};
