//! The scene painter's training pairs.

use scene::{
    Doodler, Element, Scene, TreeKind, VALIDATION_SEEDS, Water, is_validation_seed, render_doodle, render_doodle_by, render_painting,
    render_painting_and_elements, render_pair, y_at,
};
use scene::{RgbImage, Style};

const SIZE: u32 = 128;

fn at(image: &RgbImage, x: f32, y: f32) -> [u8; 3] {
    let xi = ((x * image.width as f32) as usize).min(image.width - 1);
    let yi = ((y * image.height as f32) as usize).min(image.height - 1);
    let i = (yi * image.width + xi) * 3;
    [image.pixels[i], image.pixels[i + 1], image.pixels[i + 2]]
}

fn luminance(c: [u8; 3]) -> f32 {
    0.3 * c[0] as f32 + 0.59 * c[1] as f32 + 0.11 * c[2] as f32
}

fn mean_abs_diff(a: &RgbImage, b: &RgbImage) -> f32 {
    let total: u64 = a.pixels.iter().zip(&b.pixels).map(|(x, y)| x.abs_diff(*y) as u64).sum();
    total as f32 / a.pixels.len() as f32
}

#[test]
fn a_seed_and_style_always_give_the_same_pair() {
    for seed in [0, 7, VALIDATION_SEEDS.start + 3] {
        assert_eq!(render_pair(seed, Style::Watercolour, SIZE), render_pair(seed, Style::Watercolour, SIZE));
    }
    assert_ne!(render_pair(1, Style::OilDay, SIZE).0, render_pair(2, Style::OilDay, SIZE).0);
}

#[test]
fn pairs_render_at_any_size() {
    for size in [64, 256, 300] {
        let (doodle, painting) = render_pair(5, Style::OilSunset, size);
        assert_eq!((doodle.width, doodle.height, doodle.pixels.len()), (size as usize, size as usize, (size * size * 3) as usize));
        assert_eq!((painting.width, painting.pixels.len()), (size as usize, (size * size * 3) as usize));
    }
}

/// Mean position of the ink, in unit coordinates, and how much ink there is.
fn ink_centre(doodle: &RgbImage) -> ((f32, f32), usize) {
    let (mut sx, mut sy, mut n) = (0.0, 0.0, 0);
    for (i, p) in doodle.pixels.chunks_exact(3).enumerate() {
        if p[0] < 128 {
            sx += (i % doodle.width) as f32;
            sy += (i / doodle.width) as f32;
            n += 1;
        }
    }
    ((sx / n.max(1) as f32 / doodle.width as f32, sy / n.max(1) as f32 / doodle.height as f32), n)
}

/// The share of `doodle`'s ink within `reach` pixels (across and down) of
/// `reference`'s ink.
fn share_of_ink_near(doodle: &RgbImage, reference: &RgbImage, reach: usize) -> f32 {
    let (w, h) = (doodle.width, doodle.height);
    let inked = |image: &RgbImage, x: usize, y: usize| image.pixels[(y * w + x) * 3] < 128;
    let (mut near, mut all) = (0, 0);
    for y in 0..h {
        for x in 0..w {
            if !inked(doodle, x, y) {
                continue;
            }
            all += 1;
            let (ys, xs) = (y.saturating_sub(reach)..(y + reach + 1).min(h), x.saturating_sub(reach)..(x + reach + 1).min(w));
            near += usize::from(ys.clone().any(|ry| xs.clone().any(|rx| inked(reference, rx, ry))));
        }
    }
    near as f32 / all.max(1) as f32
}

#[test]
fn sampled_doodlers_vary_yet_draw_every_line_where_its_element_is_painted() {
    let doodlers: Vec<Doodler> = (0..200).map(Doodler::sample).collect();
    assert_eq!(Doodler::sample(9), doodlers[9], "a doodler is deterministic for its seed");
    assert!(doodlers.iter().any(|d| d.width.start < 1.5) && doodlers.iter().any(|d| d.width.end > 7.0), "thin and thick lines");
    assert!(doodlers.iter().any(|d| d.wobble < 0.5) && doodlers.iter().any(|d| d.wobble > 1.3), "steady and shaky hands");
    assert!(doodlers.iter().any(|d| d.drawn_at.is_some_and(|s| s < 128)) && doodlers.iter().any(|d| d.drawn_at.is_some_and(|s| s > 400)));
    assert!(doodlers.iter().any(|d| d.simplify > 0.02) && doodlers.iter().any(|d| d.double > 0.3));
    assert!(doodlers.iter().any(|d| d.closes_bushes) && doodlers.iter().any(|d| !d.closes_bushes), "closed and open outlines");
    let (mut near, mut covered) = (0.0, 0.0);
    for seed in 0..12 {
        let scene = Scene::sample(seed);
        let doodler = &doodlers[seed as usize];
        // The same widths and simplified outlines from a steady hand that
        // draws everything once: the lines where the painter put the elements.
        let exact = Doodler { width: doodler.width.clone(), simplify: doodler.simplify, closes_bushes: doodler.closes_bushes, wobble: 0.0, leave_out: 0.0, double: 0.0, ..Doodler::default() };
        let reference = render_doodle_by(&exact, &scene, seed, SIZE);
        let doodle = render_doodle_by(doodler, &scene, seed, SIZE);
        assert_eq!((doodle.width, doodle.pixels.len()), (SIZE as usize, (SIZE * SIZE * 3) as usize), "seed {seed}: resized to the size asked for");
        assert!(doodle.pixels.chunks_exact(3).all(|p| p[0] == p[1] && p[1] == p[2]), "seed {seed}: still black on white");
        // Within 3 px at 128 (6 at 256): wobble and overshoots move ink that
        // far, a shifted, turned or scaled drawing or a stray scribble farther.
        let on_lines = share_of_ink_near(&doodle, &reference, 3);
        assert!(on_lines > 0.9, "seed {seed}: only {on_lines} of the ink lies on the scene's lines");
        // Every element is drawn: the scene's lines are in the doodle (but
        // for a horizon line, which the hand draws one time in two).
        let drawn = share_of_ink_near(&reference, &doodle, 3);
        assert!(drawn > 0.85, "seed {seed}: only {drawn} of the scene's lines are drawn");
        (near, covered) = (near + on_lines / 12.0, covered + drawn / 12.0);
    }
    assert!(near > 0.97 && covered > 0.95, "ink on the scene's lines {near}, lines drawn {covered}");
}

#[test]
fn the_most_simplifying_hand_still_draws_every_house() {
    // Simplifying only straightens what is nearly straight: a house's walls,
    // roof and door are corners to keep (a simplifier once dropped the
    // walls' last corner and the roof's apex, and the network learnt that a
    // house may look like anything).
    let steady = Doodler { wobble: 0.0, leave_out: 0.0, double: 0.0, ..Doodler::default() };
    let simplifying = Doodler { simplify: 0.025, ..steady.clone() };
    let mut houses = 0;
    for seed in 0..40 {
        let sampled = Scene::sample_sparse(seed);
        if sampled.houses.is_empty() {
            continue;
        }
        // The houses alone (the horizon off the page): other lines are
        // straightened, as they should be.
        let scene = Scene { horizon: 1.5, houses: sampled.houses, ..Scene::default() };
        houses += scene.houses.len();
        let (reference, doodle) = (render_doodle_by(&steady, &scene, seed, SIZE), render_doodle_by(&simplifying, &scene, seed, SIZE));
        let drawn = share_of_ink_near(&reference, &doodle, 4);
        assert!(drawn > 0.95, "seed {seed}: only {drawn} of the houses' lines are drawn");
    }
    assert!(houses >= 5, "{houses} houses");
}

#[test]
fn a_closing_hand_draws_a_bush_as_a_dome_on_its_foot() {
    // People often close a bush's outline, as the hand-drawn set does; a
    // network that only saw arches painted closed ones as ponds.
    let bush = scene::Blob { x: 0.5, y: 0.7, r: 0.12 };
    let scene = Scene { horizon: 1.5, bushes: vec![bush], ..Scene::default() };
    let open = Doodler { wobble: 0.0, leave_out: 0.0, double: 0.0, ..Doodler::default() };
    let closed = Doodler { closes_bushes: true, ..open.clone() };
    let (arch, dome) = (render_doodle_by(&open, &scene, 1, SIZE), render_doodle_by(&closed, &scene, 1, SIZE));
    // Along the foot, under the middle of the bush: ink in the dome only.
    let foot = |doodle: &RgbImage| (-4..=4).filter(|dx| at(doodle, 0.5 + *dx as f32 * 0.01, 0.7)[0] < 128).count();
    assert_eq!(foot(&arch), 0, "an arch is open at its foot");
    assert_eq!(foot(&dome), 9, "a dome is closed along its foot");
    // Its top (0.15 r of bumps above r) is drawn by both, in the same place
    // (but where the stroke ends: a closed one tapers elsewhere).
    let top = |doodle: &RgbImage| (0..10).any(|dy| at(doodle, 0.5, 0.54 + dy as f32 * 0.005)[0] < 128);
    assert!(top(&arch) && top(&dome));
    let kept = share_of_ink_near(&arch, &dome, 1);
    assert!(kept > 0.95, "{kept}");
}

#[test]
fn validation_seeds_are_held_out() {
    assert!(is_validation_seed(VALIDATION_SEEDS.start));
    assert!(!is_validation_seed(VALIDATION_SEEDS.start - 1));
    assert!(!is_validation_seed(0));
}

#[test]
fn the_doodle_is_black_ink_on_white_only() {
    for seed in 0..40 {
        let doodle = render_doodle(&Scene::sample(seed), seed, SIZE);
        let grey = doodle.pixels.chunks_exact(3).all(|p| p[0] == p[1] && p[1] == p[2]);
        assert!(grey, "seed {seed}: the doodle has colour");
        let white = doodle.pixels.chunks_exact(3).filter(|p| p[0] == 255).count();
        let ink = doodle.pixels.chunks_exact(3).filter(|p| p[0] < 64).count();
        let total = (SIZE * SIZE) as usize;
        assert!(white > total * 6 / 10, "seed {seed}: mostly white paper ({white} of {total})");
        assert!(ink > 50, "seed {seed}: some strokes ({ink} ink pixels)");
    }
}

#[test]
fn every_element_of_the_vocabulary_appears() {
    let scenes: Vec<Scene> = (0..300).map(Scene::sample).collect();
    let count = |f: &dyn Fn(&Scene) -> bool| scenes.iter().filter(|s| f(s)).count();
    let checks: [(&str, &dyn Fn(&Scene) -> bool); 19] = [
        ("sun or moon", &|s| s.orb.is_some()),
        ("stars", &|s| !s.stars.is_empty()),
        ("clouds", &|s| !s.clouds.is_empty()),
        ("one range", &|s| s.ranges.len() == 1),
        ("two ranges", &|s| s.ranges.len() == 2),
        ("three ranges", &|s| s.ranges.len() == 3),
        ("snow caps", &|s| s.ranges.iter().any(|r| r.snow.is_some())),
        ("hills", &|s| s.hills.is_some()),
        ("sea and shore", &|s| matches!(s.water, Some(Water::Sea { .. }))),
        ("lake", &|s| matches!(s.water, Some(Water::Lake { .. }))),
        ("river", &|s| matches!(s.water, Some(Water::River { .. }))),
        ("pines", &|s| s.trees.iter().any(|t| t.kind == TreeKind::Pine)),
        ("broadleaf trees", &|s| s.trees.iter().any(|t| t.kind == TreeKind::Broadleaf)),
        ("bushes", &|s| !s.bushes.is_empty()),
        ("houses", &|s| !s.houses.is_empty()),
        ("road", &|s| s.road.is_some()),
        ("fields", &|s| !s.fields.is_empty()),
        ("flowers", &|s| !s.flowers.is_empty()),
        ("rocks", &|s| !s.rocks.is_empty()),
    ];
    for (name, check) in checks {
        let n = count(check);
        assert!(n >= 5, "{name} appears in only {n} of 300 scenes");
    }
    // Layouts vary: the horizon moves over a wide band.
    let (low, high) = scenes.iter().fold((1.0f32, 0.0f32), |(lo, hi), s| (lo.min(s.horizon), hi.max(s.horizon)));
    assert!(high - low > 0.25, "horizon from {low} to {high}");
}

#[test]
fn each_style_changes_the_palette_of_the_same_scene() {
    for seed in [3, 11, 42] {
        let scene = Scene::sample(seed);
        let paintings: Vec<RgbImage> = Style::ALL.iter().map(|&style| render_painting(&scene, style, seed, SIZE)).collect();
        for a in 0..paintings.len() {
            for b in a + 1..paintings.len() {
                let diff = mean_abs_diff(&paintings[a], &paintings[b]);
                assert!(diff > 8.0, "seed {seed}: {} and {} differ by only {diff:.1}", Style::ALL[a].id(), Style::ALL[b].id());
            }
        }
    }
}

#[test]
fn the_sun_circle_surrounds_the_painted_sun() {
    let mut checked = 0;
    for seed in 0..200 {
        let scene = Scene::sample(seed);
        let Some(orb) = scene.orb.clone() else { continue };
        if !scene.clouds.is_empty() {
            continue; // a cloud may cover the sun
        }
        let (doodle, painting) = (render_doodle(&scene, seed, 256), render_painting(&scene, Style::OilDay, seed, 256));
        // Ink on the ring around the sun, none in its middle.
        let ring_inked = (0..24)
            .filter(|i| {
                let a = *i as f32 / 24.0 * std::f32::consts::TAU;
                let near = |k: f32| at(&doodle, orb.x + orb.r * k * a.cos(), orb.y + orb.r * k * a.sin())[0] < 128;
                near(1.0) || near(0.9) || near(1.1)
            })
            .count();
        assert!(ring_inked >= 18, "seed {seed}: only {ring_inked} of 24 ring points inked");
        assert_eq!(at(&doodle, orb.x, orb.y)[0], 255, "seed {seed}: the sun's middle is blank in the doodle");
        // The painted sun is brighter than the sky beside it.
        let sun = luminance(at(&painting, orb.x, orb.y));
        let sky = luminance(at(&painting, (orb.x + orb.r * 3.0).min(0.99), orb.y));
        assert!(sun > sky + 10.0, "seed {seed}: sun {sun} vs sky {sky}");
        checked += 1;
    }
    assert!(checked > 20, "only {checked} scenes had a clear sun");
}

#[test]
fn ridge_lines_are_drawn_where_the_painted_mountains_meet_the_sky() {
    let mut drawn = 0;
    for seed in 0..400 {
        let scene = Scene::sample(seed);
        // One range and no hills, so no other line can pass for the ridge.
        let [range] = scene.ranges.as_slice() else { continue };
        if scene.hills.is_some() {
            continue;
        }
        let (doodle, painting) = (render_doodle(&scene, seed, 256), render_painting(&scene, Style::OilDay, seed, 256));
        // Points well above the horizon, where no other line runs.
        let samples: Vec<(f32, f32)> = range
            .ridge
            .iter()
            .copied()
            .filter(|p| p.0 > 0.05 && p.0 < 0.95 && p.1 < scene.horizon - 0.04)
            .collect();
        if samples.len() < 6 {
            continue;
        }
        // Within 3 px either way: the hand wobbles sideways as well as up and down.
        let inked = samples
            .iter()
            .filter(|&&(x, y)| {
                (-3..=3).any(|dy| (-3..=3).any(|dx| at(&doodle, x + dx as f32 / 256.0, y + dy as f32 / 256.0)[0] < 128))
            })
            .count();
        // The painter's hand leaves nothing out, and never draws half a ridge.
        assert!(inked * 10 >= samples.len() * 8, "seed {seed}: ridge inked at {inked} of {} points", samples.len());
        drawn += 1;
        // The painting changes across the ridge: sky above, mountain below.
        let contrast = samples
            .iter()
            .filter(|&&(x, y)| {
                let above = at(&painting, x, y - 0.03);
                let below = at(&painting, x, y + 0.03);
                above.iter().zip(below).map(|(a, b)| a.abs_diff(b) as u32).sum::<u32>() > 20
            })
            .count();
        assert!(contrast * 2 >= samples.len(), "seed {seed}: only {contrast} of {} ridge points change colour", samples.len());
    }
    assert!(drawn > 20, "{drawn} ridges drawn");
}

#[test]
fn a_zoomed_doodler_draws_lines_as_wide_in_pixels() {
    // Twice the size: every line twice as long in pixels, so as wide lines
    // cover half the share of the page (lines that grew with the drawing
    // would cover the same share).
    for seed in [3, 8, 21] {
        let scene = Scene::sample(seed);
        let doodler = Doodler::sample(seed);
        let share = |doodle: RgbImage| ink_centre(&doodle).1 as f32 / (doodle.width * doodle.height) as f32;
        let (whole, close) = (share(render_doodle_by(&doodler, &scene, seed, 256)), share(render_doodle_by(&doodler.zoomed(2.0), &scene, seed, 512)));
        assert!((0.25..0.75).contains(&(close / whole)), "seed {seed}: ink share {whole} at 256 px, {close} zoomed");
    }
}

#[test]
fn sparse_scenes_hold_a_few_large_things_side_by_side() {
    let scenes: Vec<Scene> = (0..300).map(Scene::sample_sparse).collect();
    assert_eq!(format!("{:?}", Scene::sample_sparse(12)), format!("{:?}", scenes[12]), "deterministic for the seed");
    for (seed, scene) in scenes.iter().enumerate() {
        assert!(scene.trees.len() + scene.houses.len() <= 4, "seed {seed}: few things");
        let mut spans: Vec<(f32, f32)> = scene.houses.iter().map(|h| (h.x, h.x + h.width)).collect();
        spans.extend(scene.trees.iter().map(|t| (t.x - t.height * scene::TREE_HALF_WIDTH, t.x + t.height * scene::TREE_HALF_WIDTH)));
        for (i, a) in spans.iter().enumerate() {
            for b in &spans[i + 1..] {
                assert!(a.1 < b.0 || b.1 < a.0, "seed {seed}: {a:?} and {b:?} overlap, so one would hide the other");
            }
        }
        for tree in &scene.trees {
            assert!(tree.y - tree.height > 0.0, "seed {seed}: the tree's top is on the page");
        }
    }
    let large_trees = scenes.iter().flat_map(|s| &s.trees).filter(|t| t.height > 0.35).count();
    let whole_scene_largest = (0..300).flat_map(|seed| Scene::sample(seed).trees).map(|t| t.height).fold(0.0, f32::max);
    assert!(large_trees >= 30 && whole_scene_largest < 0.35, "{large_trees} trees taller than a whole scene's tallest ({whole_scene_largest})");
    assert!(scenes.iter().any(|s| !s.houses.is_empty() && s.houses.iter().all(|h| h.width > 0.15)), "large houses");
    let islands = scenes.iter().filter(|s| matches!(s.water, Some(Water::Sea { .. })) && s.hills.is_some()).count();
    assert!(islands >= 10, "islands on a sea: {islands}");
}

#[test]
fn a_sparse_sea_reaches_the_bottom_edge_and_its_island_is_land() {
    let seed = (0..200).find(|&s| {
        let scene = Scene::sample_sparse(s);
        matches!(scene.water, Some(Water::Sea { .. })) && scene.hills.is_some()
    });
    let seed = seed.expect("an island among 200 sparse scenes");
    let scene = Scene::sample_sparse(seed);
    let painting = render_painting(&scene, Style::OilDay, seed, SIZE);
    let blueness = |c: [u8; 3]| c[2] as f32 - (c[0] as f32 + c[1] as f32) / 2.0;
    let hills = scene.hills.as_ref().expect("the island");
    let &(x, top) = hills.iter().min_by(|a, b| a.1.total_cmp(&b.1)).expect("points");
    let island = at(&painting, x, (top + scene.horizon) / 2.0 + 0.005);
    for y in [scene.horizon + 0.05, 0.97] {
        let sea = at(&painting, x, y);
        assert!(blueness(sea) > blueness(island) + 20.0, "seed {seed}: the sea at y {y} ({sea:?}) is bluer than the island ({island:?})");
    }
}

/// Dark pixels of `doodle` in the rows from `top` to `bottom` (unit heights).
fn ink_in_rows(doodle: &RgbImage, top: f32, bottom: f32) -> usize {
    let rows = (top * doodle.height as f32) as usize..(bottom * doodle.height as f32) as usize;
    rows.map(|y| doodle.pixels[y * doodle.width * 3..(y + 1) * doodle.width * 3].chunks_exact(3).filter(|p| p[0] < 128).count()).sum()
}

#[test]
fn a_sea_is_drawn_with_waves_and_blank_land_without() {
    // A sea to the bottom edge is a horizon over paper, as a meadow is, but
    // for the waves a hand draws on it.
    let (mut seas, mut meadows) = (0, 0);
    for seed in 0..300 {
        let scene = Scene::sample_sparse(seed);
        let open = scene.road.is_none() && scene.trees.is_empty() && scene.houses.is_empty() && scene.bushes.is_empty() && scene.rocks.is_empty() && scene.flowers.is_empty();
        let below = ink_in_rows(&render_doodle(&scene, seed, SIZE), scene.horizon + 0.03, 1.0);
        match scene.water {
            Some(Water::Sea { .. }) => {
                assert!(below > 10, "seed {seed}: a sea with {below} dark pixels of waves");
                seas += 1;
            }
            None if open => {
                assert_eq!(below, 0, "seed {seed}: an empty meadow with ink on it");
                meadows += 1;
            }
            _ => {}
        }
    }
    assert!(seas >= 20 && meadows >= 5, "{seas} seas, {meadows} empty meadows");
}

#[test]
fn sparse_roads_and_rivers_come_as_wide_as_people_draw_them() {
    let widest = |scenes: &mut dyn Iterator<Item = Scene>| {
        scenes
            .filter_map(|s| s.road.map(|(left, right)| right[0].0 - left[0].0))
            .fold(0.0, f32::max)
    };
    let sparse = widest(&mut (0..300).map(Scene::sample_sparse));
    let whole = widest(&mut (0..300).map(Scene::sample));
    // A road drawn in perspective often spans half the page at the bottom.
    assert!(sparse > 0.5 && whole < 0.3, "widest road at the bottom edge: sparse {sparse}, whole scenes {whole}");
}

#[test]
fn the_element_map_says_what_each_pixel_paints() {
    let mut seen = Vec::new();
    for seed in 0..24 {
        let scene = Scene::sample(seed);
        let (painting, elements) = render_painting_and_elements(&scene, Style::Autumn, seed, SIZE);
        assert_eq!(painting, render_painting(&scene, Style::Autumn, seed, SIZE), "seed {seed}: the same painting");
        assert_eq!(elements.len(), (SIZE * SIZE) as usize);
        let at = |x: f32, y: f32| elements[((y * SIZE as f32) as usize).min(SIZE as usize - 1) * SIZE as usize + ((x * SIZE as f32) as usize).min(SIZE as usize - 1)];
        assert!(matches!(at(0.5, 0.01), Element::Sky | Element::Cloud | Element::Orb | Element::Mountain), "seed {seed}: the top is sky, not {:?}", at(0.5, 0.01));
        // Things painted later stand in front.
        let in_front = |e: Element| matches!(e, Element::Rock | Element::Bush | Element::House | Element::Trunk | Element::Tree | Element::Flower | Element::Road);
        for house in &scene.houses {
            let e = at(house.x + house.width * 0.25, house.y - house.height * 0.2);
            assert!(e == Element::House || in_front(e), "seed {seed}: a house's wall is {e:?}");
        }
        for tree in scene.trees.iter().filter(|t| t.kind == TreeKind::Broadleaf) {
            let e = at(tree.x, tree.y - tree.height * 0.65);
            assert!(matches!(e, Element::Tree | Element::Trunk | Element::Flower), "seed {seed}: a crown's centre is {e:?}");
        }
        if let Some(Water::Lake { cx, cy, .. }) = scene.water {
            let e = at(cx, cy);
            assert!(e == Element::Water || in_front(e), "seed {seed}: a lake's centre is {e:?}");
        }
        seen.extend(elements);
    }
    for element in [Element::Sky, Element::Grass, Element::Mountain, Element::Tree, Element::House, Element::Water, Element::Field] {
        assert!(seen.contains(&element), "no {} in 24 scenes", element.name());
    }
}

/// Snow is not a surprise: where a range's snow ends, its doodle has a line
/// (as people draw a snow cap) and the painting is lighter just above it
/// than just below; the same range without snow has no line there.
#[test]
fn snow_caps_are_drawn_where_the_snow_ends() {
    let (mut points_seen, mut bare_inked) = (0, 0);
    for seed in 0..400 {
        let mut scene = Scene::sample(seed);
        // One range and no hills, so no other line can pass for the snow's.
        let [range] = scene.ranges.as_mut_slice() else { continue };
        if scene.hills.is_some() {
            continue;
        }
        range.snow = Some(0.35);
        let (line, edges) = (range.snow_line(scene.horizon).expect("snow"), range.snow_edges(scene.horizon));
        // Points along the edges where the ridge runs at least 6 px higher,
        // so its own line is never within reach.
        let points: Vec<Vec<f32>> = edges
            .iter()
            .map(|[a, b]| [0.3, 0.5, 0.7].iter().map(|t| a.0 + (b.0 - a.0) * t).filter(|&x| y_at(&range.ridge, x) < line - 0.025).collect())
            .filter(|points: &Vec<f32>| points.len() == 3)
            .collect();
        let snowy = (render_doodle(&scene, seed, 256), render_painting(&scene, Style::OilDay, seed, 256));
        scene.ranges[0].snow = None;
        let bare = render_doodle(&scene, seed, 256);
        // Of an edge's points, how many have ink within 3 px.
        let inked = |doodle: &RgbImage, points: &[f32]| {
            points.iter().filter(|&&x| (-3..=3).any(|d| at(doodle, x, line + d as f32 / 256.0)[0] < 128)).count()
        };
        for edge in &points {
            // Two of three: the pen lifts now and then.
            assert!(inked(&snowy.0, edge) >= 2, "seed {seed}: no line where the snow ends, at y {line}, x {edge:?}");
            let x = edge[1];
            let (above, below) = (luminance(at(&snowy.1, x, line - 0.015)), luminance(at(&snowy.1, x, line + 0.03)));
            assert!(above > below + 10.0, "seed {seed}: snow at ({x}, {line}) no lighter ({above}) than the rock below ({below})");
            bare_inked += inked(&bare, edge);
        }
        points_seen += 3 * points.len();
    }
    // Another line (a cloud, a second pass) crosses a bare peak there now and then.
    assert!(points_seen > 60 && bare_inked * 10 < points_seen, "{points_seen} points on snow edges, {bare_inked} inked without snow");
}

/// A far range is drawn only where it shows above the nearer ones, as a
/// hand draws it: a line behind a mountain has no edge painted under it.
#[test]
fn far_ranges_are_drawn_only_where_they_show() {
    let (mut shown, mut shown_inked, mut hidden, mut hidden_inked) = (0, 0, 0, 0);
    for seed in 0..300 {
        let mut scene = Scene::sample(seed);
        if scene.ranges.len() < 2 || scene.hills.is_some() {
            continue;
        }
        // No snow lines, which cross a mountain's body.
        scene.ranges.iter_mut().for_each(|r| r.snow = None);
        let doodle = render_doodle(&scene, seed, 256);
        let inked = |x: f32, y: f32| (-3..=3).any(|dy| (-3..=3).any(|dx| at(&doodle, x + dx as f32 / 256.0, y + dy as f32 / 256.0)[0] < 128));
        let far = &scene.ranges[0];
        let nearer = &scene.ranges[1..];
        for i in 0..100 {
            let x = 0.05 + 0.9 * i as f32 / 100.0;
            let y = y_at(&far.ridge, x);
            // Well clear of every nearer ridge (and of the horizon), one way or the other.
            let gaps: Vec<f32> = nearer.iter().map(|r| y_at(&r.ridge, x) - y).collect();
            if y > scene.horizon - 0.04 || gaps.iter().any(|g| g.abs() < 0.03) {
                continue;
            }
            if gaps.iter().all(|&g| g > 0.0) {
                shown += 1;
                shown_inked += usize::from(inked(x, y));
            } else {
                hidden += 1;
                hidden_inked += usize::from(inked(x, y));
            }
        }
    }
    assert!(shown > 200 && shown_inked * 10 >= shown * 8, "{shown_inked} of {shown} points where a far ridge shows inked");
    assert!(hidden > 100 && hidden_inked * 10 <= hidden, "{hidden_inked} of {hidden} points of a far ridge behind a nearer one inked");
}
