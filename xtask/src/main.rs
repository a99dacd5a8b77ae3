//! The project's commands: `cargo xtask serve | test | build | bench | setup`.
//!
//! Each installs only what is missing, at pinned versions, and only from the
//! package registries (crates.io, npm, Debian). Trunk runs offline with the
//! local wasm-bindgen and wasm-opt, so it never downloads anything itself.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use clap::Parser;

/// Trunk 0.22 needs rustc 1.96; this machine's stable toolchain is 1.95.
const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
const CHROMIUM: &str = "/usr/bin/chromium";
const VULKAN_LOADER: &str = "/usr/lib/x86_64-linux-gnu/libvulkan.so.1";

/// The project's commands. Each installs only what is missing, at pinned
/// versions, from the package registries.
#[derive(Parser)]
#[command(name = "cargo xtask")]
enum Task {
    /// Install what is missing, build, and serve on http://127.0.0.1:8080.
    Serve,
    /// All tests: native, the WASM build, and browser end-to-end.
    Test,
    /// Build the web app into dist/, with precompressed (.br) files.
    Build,
    /// Measure us against the peers (native, browser, first visit,
    /// Lighthouse) and write docs/benchmarks.md.
    Bench,
    /// Only install what is missing.
    Setup,
    /// Run `test` as on a new machine: a clean clone of HEAD with an empty
    /// cargo home, target dir and npm cache.
    Fresh {
        /// Leave the clone, cargo home and target dir in place afterwards.
        #[arg(long)]
        keep: bool,
    },
    /// Trunk's post-build hook: write the service worker for this build.
    #[command(hide = true)]
    Precache,
}

fn main() -> ExitCode {
    let task = Task::parse();
    let result = match task {
        Task::Serve => serve(),
        Task::Test => test(),
        Task::Build => setup().and_then(|()| build_web()).and_then(|()| timed("precompressing", precompress_dist)),
        Task::Bench => bench(),
        Task::Setup => setup(),
        Task::Fresh { keep } => fresh(keep),
        Task::Precache => precache(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root. Read from the environment `cargo run` sets, not baked
/// in with `env!`: with a target directory shared between checkouts, this
/// binary may have been built in another checkout.
fn root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .and_then(|xtask| xtask.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| std::env::current_dir().expect("a current directory"))
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn home() -> PathBuf {
    PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into()))
}

/// Where `cargo install` puts binaries: `$CARGO_HOME/bin`.
fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home().join(".cargo"))
        .join("bin")
}

/// PATH with the pinned npm tools (wasm-opt) and cargo-installed tools first.
fn tool_path() -> String {
    let mut dirs = vec![root().join("tests/node_modules/.bin"), cargo_bin()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs)
        .expect("PATH entries are valid")
        .into_string()
        .unwrap_or_default()
}

/// A command that runs in the workspace root with the tool PATH.
fn command(program: &str, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(root())
        .env("PATH", tool_path());
    command
}

fn run(mut command: Command) -> Result {
    let shown = format!("{command:?}");
    eprintln!("+ {shown}");
    let status = command
        .status()
        .map_err(|e| format!("could not run {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

/// Stdout of a command, or None if it cannot run or fails.
fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = command(program, args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn timed(what: &str, step: impl FnOnce() -> Result) -> Result {
    let start = Instant::now();
    step()?;
    eprintln!("xtask: {what} took {:.0} s", start.elapsed().as_secs_f64());
    Ok(())
}

/// The version Cargo.lock resolves for a package.
fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .ok_or(format!("{package} is not in Cargo.lock"))?
        + needle.len();
    let end = lock[start..].find('"').ok_or("malformed Cargo.lock")? + start;
    Ok(lock[start..end].to_string())
}

fn setup() -> Result {
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    ensure_npm_packages()?;
    ensure_weights()
}

fn ensure_wasm_target() -> Result {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|line| line == WASM_TARGET) {
        return Ok(());
    }
    timed("adding the wasm32 target", || run(command("rustup", &["target", "add", WASM_TARGET])))
}

fn ensure_trunk() -> Result {
    if output("trunk", &["--version"]).as_deref() == Some(&format!("trunk {TRUNK_VERSION}")) {
        return Ok(());
    }
    timed("installing trunk (once per machine)", || {
        // No TLS and no update check: Trunk here never downloads, so it needs
        // neither. Trunk's own release profile (fat LTO, one codegen unit)
        // would double the build for a tool that mostly waits on others.
        let mut install = command(
            &cargo(),
            &["install", "--locked", "trunk", "--version", TRUNK_VERSION, "--no-default-features"],
        );
        install
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
        run(install)
    })
}

fn ensure_wasm_bindgen() -> Result {
    let version = locked_version("wasm-bindgen")?;
    if output("wasm-bindgen", &["--version"]).as_deref() == Some(&format!("wasm-bindgen {version}")) {
        return Ok(());
    }
    timed("installing wasm-bindgen-cli", || {
        // Not --locked: its lock file pins a crate version the registry no longer serves.
        // No TLS: only its test runner downloads (browser drivers), never Trunk's use of it.
        run(command(
            &cargo(),
            &["install", "wasm-bindgen-cli", "--version", &version, "--no-default-features"],
        ))
    })
}

/// playwright-core and binaryen's wasm-opt, at the versions in tests/package-lock.json.
fn ensure_npm_packages() -> Result {
    let tests = root().join("tests");
    let installed = tests.join("node_modules/.package-lock.json");
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let fresh = match (modified(&installed), modified(&tests.join("package-lock.json"))) {
        (Some(installed), Some(wanted)) => installed >= wanted,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    let mut npm = command("npm", &["ci", "--no-audit", "--no-fund"]);
    npm.current_dir(&tests);
    timed("npm ci", || run(npm))
}

fn ensure_chromium() -> Result {
    if Path::new(CHROMIUM).exists() {
        return Ok(());
    }
    apt_install("installing chromium", &["chromium"])
}

/// A Vulkan driver for the trainer's wgpu tests: Mesa's software one
/// (lavapipe) where the machine has none, with the Vulkan loader.
fn ensure_vulkan() -> Result {
    let has_driver = std::fs::read_dir("/usr/share/vulkan/icd.d")
        .is_ok_and(|mut drivers| drivers.any(|driver| driver.is_ok()));
    if has_driver && Path::new(VULKAN_LOADER).exists() {
        return Ok(());
    }
    apt_install("installing a Vulkan driver (Mesa's lavapipe)", &["mesa-vulkan-drivers", "libvulkan1"])
}

/// Debian packages from the machine's own release (its archive keeps one
/// version of each, so that is the pin), as root.
fn apt_install(what: &str, packages: &[&str]) -> Result {
    let is_root = output("id", &["-u"]).as_deref() == Some("0");
    let as_root = |args: &[&str]| {
        let mut command = if is_root { command(args[0], &args[1..]) } else { command("sudo", args) };
        command.env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    let install = || as_root(&[&["apt-get", "install", "-y", "--no-install-recommends"], packages].concat());
    // A new machine's package lists may be stale: update once and retry.
    timed(what, || {
        if run(install()).is_err() {
            run(as_root(&["apt-get", "update"]))?;
            run(install())?;
        }
        Ok(())
    })
}

/// The trained weights ship in the repository; the app and tests need them.
fn ensure_weights() -> Result {
    if root().join("public/models/manifest.json").exists() {
        return Ok(());
    }
    Err("public/models/manifest.json is missing: the trained weights ship in the repository \
         (`git checkout -- public/models`), or export a training run there (README, Training)"
        .into())
}

/// Trunk, offline, with the pinned local tools. `isolated` runs it in a network
/// namespace of its own where the machine allows one, which proves that the
/// build downloads nothing (serving needs the network, so only builds are).
fn trunk(subcommand: &str, isolated: bool) -> Command {
    let args = ["trunk", subcommand, "--release", "--offline"];
    let mut trunk = if isolated && output("unshare", &["--net", "true"]).is_some() {
        command("unshare", &[&["--net", "--"][..], &args].concat())
    } else {
        command(args[0], &args[1..])
    };
    trunk.env("TRUNK_SKIP_VERSION_CHECK", "true");
    trunk
}

/// Trunk runs cargo `--offline`, and asks cargo about the whole workspace on
/// every platform the lock file names (Windows-only crates included), so the
/// registry cache must hold every crate of Cargo.lock, not only the wasm
/// build's. Fetch them all, then prove offline resolution works here, before
/// a build that would otherwise die inside its network namespace.
fn fetch_for_offline() -> Result {
    timed("fetching crates", || run(command(&cargo(), &["fetch", "--locked"])))?;
    let check = command(&cargo(), &["metadata", "--offline", "--locked", "--format-version", "1"])
        .output()
        .map_err(|e| format!("could not run cargo metadata: {e}"))?;
    if !check.status.success() {
        return Err(format!(
            "the offline web build would lack crates that `cargo fetch` did not bring \
             (is crates.io reachable?): {}",
            String::from_utf8_lossy(&check.stderr).trim()
        ));
    }
    Ok(())
}

fn build_web() -> Result {
    fetch_for_offline()?;
    timed("the web build", || run(trunk("build", true)))?;
    for file in ["app_bg.wasm", "worker_bg.wasm"] {
        if let Some(size) = dist_size(file) {
            eprintln!("xtask: {file} {:.1} MB", size as f64 / 1e6);
        }
    }
    Ok(())
}

/// Writes `NAME.br` beside each file of dist/ over 10 KB that brotli makes
/// smaller, for static hosts that serve precompressed files (nginx's
/// brotli_static, Caddy's precompressed; others compress on the fly). At
/// brotli's best the worker's wasm is 2.5 MB against 4.3 MB gzipped, but it
/// takes minutes (4.5 here, beside the training): each result is kept under the target directory by
/// its content's hash, so a build that changed nothing reuses it. `build`
/// (the deployable dist/) and `bench` write them; `test` and `serve` do not
/// wait for them.
fn precompress_dist() -> Result {
    use sha2::{Digest, Sha256};
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"));
    let cache = target.join("brotli");
    std::fs::create_dir_all(&cache).map_err(|e| format!("{}: {e}", cache.display()))?;
    for path in files_under(&root().join("dist"))? {
        let name = path.to_string_lossy().to_string();
        if name.ends_with(".br") || name.ends_with(".png") {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{name}: {e}"))?;
        if bytes.len() < 10_000 {
            continue;
        }
        let hash = hex(&Sha256::digest(&bytes));
        let cached = cache.join(format!("{hash}.br"));
        let compressed = match std::fs::read(&cached) {
            Ok(compressed) => compressed,
            Err(_) => {
                let mut compressed = Vec::new();
                let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 24, size_hint: bytes.len(), ..Default::default() };
                brotli::BrotliCompress(&mut &bytes[..], &mut compressed, &params).map_err(|e| format!("{name}: {e}"))?;
                std::fs::write(&cached, &compressed).map_err(|e| format!("{}: {e}", cached.display()))?;
                compressed
            }
        };
        if compressed.len() < bytes.len() {
            std::fs::write(format!("{name}.br"), &compressed).map_err(|e| format!("{name}.br: {e}"))?;
        }
    }
    Ok(())
}

/// Every file below `dir`, in its folders too.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    Ok(files)
}

/// Size of a built file, whatever hash Trunk put in its name.
fn dist_size(suffix: &str) -> Option<u64> {
    let stem = suffix.trim_end_matches("_bg.wasm");
    std::fs::read_dir(root().join("dist"))
        .ok()?
        .filter_map(|entry| entry.ok())
        .find(|entry| {
            let name = entry.file_name().to_string_lossy().to_string();
            name.starts_with(stem) && name.ends_with("_bg.wasm")
        })
        .and_then(|entry| entry.metadata().ok())
        .map(|meta| meta.len())
}

fn serve() -> Result {
    setup()?;
    fetch_for_offline()?;
    eprintln!("xtask: serving on http://127.0.0.1:8080 (Ctrl+C stops)");
    run(trunk("serve", false))
}

fn test() -> Result {
    setup()?;
    ensure_chromium()?;
    ensure_vulkan()?;
    timed("native tests", || {
        run(command(
            &cargo(),
            &["test", "--workspace", "--release"],
        ))
    })?;
    build_web()?;
    timed("browser tests", || {
        run(node_on_dist(&["--test", "--test-concurrency=1", "tests/"]))
    })
}

/// Everything `docs/benchmarks.md` reports, and the figures the README
/// quotes: native speed, the scene painter, the peer benchmark (burn against
/// onnxruntime natively and onnxruntime-web in the browser), brushwork, a
/// first visit over an emulated slow link, and Lighthouse.
fn bench() -> Result {
    setup()?;
    ensure_chromium()?;
    let python = ensure_bench_tools()?;
    let figures = root().join("target/bench");
    std::fs::create_dir_all(&figures).map_err(|e| format!("{}: {e}", figures.display()))?;
    let at = |name: &str| figures.join(name).to_string_lossy().to_string();
    for (threads, file) in [(Some("1"), "native-burn-1.json"), (None, "native-burn-all.json")] {
        let mut burn = command(&cargo(), &["run", "-p", "model", "--release", "--bin", "bench", "--", &at(file)]);
        if let Some(threads) = threads {
            burn.env("RAYON_NUM_THREADS", threads);
        }
        run(burn)?;
    }
    run(command(&cargo(), &["run", "-p", "trainer", "--release", "--bin", "scene-bench"]))?;
    let dir = figures.to_string_lossy().to_string();
    run(command(&cargo(), &["run", "-p", "trainer", "--release", "--bin", "onnx-weights", "--", "--out", &dir]))?;
    run(command(&python, &["bench/onnx_export.py", &dir]))?;
    run(command(&python, &["bench/onnx_native.py", &dir, "30"]))?;
    build_web()?;
    timed("precompressing", precompress_dist)?;
    // The speed budget's reference in the browser: the same build painting
    // with untrained weights of version 1's shape.
    let reference = figures.join("dist-v1");
    copy_without_precompressed(&root().join("dist"), &reference)?;
    let models = reference.join("models").to_string_lossy().to_string();
    run(command(&cargo(), &["run", "-p", "model", "--release", "--bin", "init-weights", "--", &models, "--version", "1"]))?;
    run(node_on_dist(&["bench/peers.mjs", "30", &at("browser.json")]))?;
    // Paintings, and brushwork at 512 and 1024 px, in one run.
    run(node_on_dist(&["tests/bench.mjs", "cpu", "30"]))?;
    run(node_on_dist(&["bench/first_visit.mjs", &at("first-visit.json")]))?;
    run(node_on_dist(&["bench/lighthouse.mjs", &at("lighthouse.json")]))?;
    run(command("node", &["bench/report.mjs", &dir, "docs/benchmarks.md"]))
}

/// A copy of the folder `from` at `to` (emptied first), less the `NAME.br`
/// files, which would hold the old bytes of files the copy changes.
fn copy_without_precompressed(from: &Path, to: &Path) -> Result {
    if to.exists() {
        std::fs::remove_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    }
    for path in files_under(from)? {
        if path.extension().is_some_and(|extension| extension == "br") {
            continue;
        }
        let copy = to.join(path.strip_prefix(from).map_err(|e| e.to_string())?);
        if let Some(parent) = copy.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::copy(&path, &copy).map_err(|e| format!("{}: {e}", copy.display()))?;
    }
    Ok(())
}

/// The peer benchmark's tools, at the versions bench/ pins: onnxruntime-web
/// from npm (Lighthouse is the tests' own, from `setup`), and a Python environment of its own with onnx and
/// onnxruntime from PyPI. Returns that environment's python.
fn ensure_bench_tools() -> Result<String> {
    let bench = root().join("bench");
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let npm_fresh = match (modified(&bench.join("node_modules/.package-lock.json")), modified(&bench.join("package-lock.json"))) {
        (Some(installed), Some(wanted)) => installed >= wanted,
        _ => false,
    };
    if !npm_fresh {
        let mut npm = command("npm", &["ci", "--no-audit", "--no-fund"]);
        npm.current_dir(&bench);
        timed("npm ci (bench)", || run(npm))?;
    }
    let venv = home().join(".cache/doodle-paint/bench-venv");
    let python = venv.join("bin/python").to_string_lossy().to_string();
    let wanted = std::fs::read_to_string(bench.join("requirements.txt")).map_err(|e| format!("bench/requirements.txt: {e}"))?;
    let marker = venv.join("installed-requirements.txt");
    if std::fs::read_to_string(&marker).ok().as_deref() != Some(wanted.as_str()) {
        timed("installing the bench's Python packages", || {
            run(command("python3", &["-m", "venv", &venv.to_string_lossy()]))?;
            run(command(&python, &["-m", "pip", "install", "--quiet", "-r", &bench.join("requirements.txt").to_string_lossy()]))?;
            std::fs::write(&marker, &wanted).map_err(|e| format!("{}: {e}", marker.display()))
        })?;
    }
    Ok(python)
}

/// Node running browser scripts against the built `dist/` in Debian's chromium.
fn node_on_dist(args: &[&str]) -> Command {
    let mut node = command("node", args);
    node.env("DIST_DIR", root().join("dist")).env("CHROMIUM", CHROMIUM);
    node
}

/// Bytes in lower-case hex, as file names and versions carry hashes.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Trunk starts the page with an inline module script, which a strict
/// Content Security Policy (no inline script) refuses: it moves to a file of
/// its own, named by its content's hash, loaded by a plain `<script src>`.
fn script_out_of_page(staging: &Path) -> Result {
    use sha2::{Digest, Sha256};
    let page = staging.join("index.html");
    let html = std::fs::read_to_string(&page).map_err(|e| format!("index.html: {e}"))?;
    let open = "<script type=\"module\">";
    let Some(start) = html.find(open) else { return Ok(()) };
    let end = html[start..].find("</script>").map(|end| start + end).ok_or("index.html: an unclosed script")?;
    let script = &html[start + open.len()..end];
    let hash = hex(&Sha256::digest(script.as_bytes())[..8]);
    let name = format!("start-{hash}.js");
    std::fs::write(staging.join(&name), script.trim()).map_err(|e| format!("{name}: {e}"))?;
    let tag = format!("<script type=\"module\" src=\"./{name}\"></script>");
    let html = format!("{}{tag}{}", &html[..start], &html[end + "</script>".len()..]);
    std::fs::write(&page, html).map_err(|e| format!("index.html: {e}"))
}

/// The PNG icons that home screens ask for, drawn from `public/icon.svg`:
/// name, side, the margin around the drawing (a maskable icon keeps it
/// inside the circle platforms may cut it to), and whether the background is
/// filled (Apple shows transparency as black).
const ICONS: [(&str, u32, f32, bool); 4] = [
    ("icon-192.png", 192, 0.0, false),
    ("icon-512.png", 512, 0.0, false),
    ("icon-maskable-512.png", 512, 0.15, true),
    ("apple-touch-icon.png", 180, 0.0, true),
];

fn draw_icons(staging: &Path) -> Result {
    use resvg::tiny_skia::{Color, Pixmap, Transform};
    let svg = std::fs::read(root().join("public/icon.svg")).map_err(|e| format!("public/icon.svg: {e}"))?;
    let tree = resvg::usvg::Tree::from_data(&svg, &resvg::usvg::Options::default()).map_err(|e| format!("public/icon.svg: {e}"))?;
    for (name, side, margin, filled) in ICONS {
        let mut pixmap = Pixmap::new(side, side).ok_or("an icon of no size")?;
        if filled {
            // The SVG's own paper colour.
            pixmap.fill(Color::from_rgba8(0xfb, 0xf8, 0xf1, 0xff));
        }
        let inset = margin * side as f32;
        let scale = (side as f32 - 2.0 * inset) / tree.size().width().max(tree.size().height());
        resvg::render(&tree, Transform::from_scale(scale, scale).post_translate(inset, inset), &mut pixmap.as_mut());
        pixmap.save_png(staging.join(name)).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

/// Trunk's post-build hook: the page's start script out of the page (see
/// [`script_out_of_page`]), the PNG icons ([`draw_icons`]), then `sw.js` into Trunk's staging folder: the
/// template `app/sw.js` after this build's file list and a version hashed
/// from every file's name and contents, so any change (wasm, weights, page)
/// makes a new cache.
fn precache() -> Result {
    use sha2::{Digest, Sha256};
    let staging = std::env::var_os("TRUNK_STAGING_DIR")
        .map(PathBuf::from)
        .ok_or("TRUNK_STAGING_DIR is not set: Trunk runs this as its post-build hook")?;
    script_out_of_page(&staging)?;
    draw_icons(&staging)?;
    let mut files = Vec::new();
    for path in files_under(&staging)? {
        if let Ok(relative) = path.strip_prefix(&staging) {
            let name = relative.to_string_lossy().replace('\\', "/");
            // `_headers` is read by hosts, which need not serve it.
            if name != "sw.js" && name != "_headers" {
                files.push(name);
            }
        }
    }
    files.sort();
    let mut hash = Sha256::new();
    for name in &files {
        let bytes = std::fs::read(staging.join(name)).map_err(|e| format!("{name}: {e}"))?;
        hash.update(name.as_bytes());
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(&bytes);
    }
    let version = hex(&hash.finalize()[..8]);
    // "./" too: the page as a navigation to the app's folder asks for it.
    let list: Vec<String> = std::iter::once("./".to_string()).chain(files).map(|f| format!("  {f:?},")).collect();
    let template = std::fs::read_to_string(root().join("app/sw.js")).map_err(|e| format!("app/sw.js: {e}"))?;
    let script = format!(
        "// Written by `cargo xtask precache` for this build.\nconst VERSION = {version:?};\nconst FILES = [\n{}\n];\n\n{template}",
        list.join("\n")
    );
    std::fs::write(staging.join("sw.js"), script).map_err(|e| format!("sw.js: {e}"))?;
    eprintln!("xtask: sw.js for version {version}, {} files", list.len());
    Ok(())
}

/// `cargo xtask test` as a new user would run it: a clean clone of HEAD, an
/// empty cargo home (registry cache, installed tools), target dir and npm
/// cache. Only the Rust toolchain (rustup's, through symlinks to its proxy)
/// and the machine's Debian packages and rustup targets are kept; the run says
/// which of those a new machine would still have to install.
fn fresh(keep: bool) -> Result {
    let dir = std::env::temp_dir().join(format!("doodle-paint-fresh-{}", std::process::id()));
    let (repo, cargo_home) = (dir.join("repo"), dir.join("cargo-home"));
    let bin = cargo_home.join("bin");
    std::fs::create_dir_all(&bin).map_err(|e| format!("{}: {e}", bin.display()))?;
    if output("git", &["status", "--porcelain"]).is_some_and(|changes| !changes.is_empty()) {
        eprintln!("xtask fresh: uncommitted changes are not part of the run (it clones HEAD)");
    }
    run(command("git", &["clone", "--quiet", &root().to_string_lossy(), &repo.to_string_lossy()]))?;
    let rustup = output("which", &["rustup"]).ok_or("rustup is not on PATH")?;
    for tool in ["cargo", "rustc", "rustdoc", "rustup"] {
        std::os::unix::fs::symlink(&rustup, bin.join(tool)).map_err(|e| format!("{tool}: {e}"))?;
    }
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|line| line == WASM_TARGET) {
        eprintln!("xtask fresh: the {WASM_TARGET} target is installed machine-wide; a new machine adds it (seconds)");
    }
    if Path::new(CHROMIUM).exists() {
        eprintln!("xtask fresh: Debian's chromium is installed machine-wide; a new machine installs it (about a minute)");
    }
    if Path::new(VULKAN_LOADER).exists() {
        eprintln!("xtask fresh: Debian's Vulkan driver is installed machine-wide; a new machine installs it (seconds)");
    }
    // PATH without the usual cargo home, whose bin holds the tools installed before.
    let path = std::env::var_os("PATH").unwrap_or_default();
    let old_bin = cargo_bin();
    let dirs = std::iter::once(bin.clone()).chain(std::env::split_paths(&path).filter(|d| *d != old_bin));
    let path = std::env::join_paths(dirs).map_err(|e| e.to_string())?;
    let mut test = Command::new(bin.join("cargo"));
    test.args(["xtask", "test"])
        .current_dir(&repo)
        .env("PATH", path)
        .env("CARGO_HOME", &cargo_home)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("npm_config_cache", dir.join("npm-cache"))
        .env_remove("CARGO")
        .env_remove("CARGO_MANIFEST_DIR");
    let result = timed("the fresh run, in all", || run(test));
    if keep || result.is_err() {
        eprintln!("xtask fresh: left in {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}
