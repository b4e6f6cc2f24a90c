// Bake the libtorch directory (from the PyPI torch wheel) into the binary's rpath so the
// binary runs without LD_LIBRARY_PATH. torch-sys exports that directory as DEP_TCH_LIBTORCH_LIB.
fn main() {
    if let Ok(dir) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
    println!("cargo:rerun-if-env-changed=DEP_TCH_LIBTORCH_LIB");
}
