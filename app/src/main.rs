fn main() {
    #[cfg(target_arch = "wasm32")]
    app::ui::start();
}
