//! How the process uses the system allocator, so that a large plan's peak memory is its
//! model and little else. The settings are glibc's and do nothing elsewhere; the arenas'
//! reservations cost address space only, with any allocator.
//!
//! Two costs are weighed. A page the process has never touched costs a page fault, which
//! is microseconds on a virtual machine; a page kept for reuse is resident memory. glibc
//! keeps freed memory in its heaps for reuse and maps blocks above a threshold on their own,
//! returning them when freed:
//!
//! - While loading, the workers' parse buffers (a TOML file's tokens run to megabytes) come
//!   from the heap and are reused file after file, while the model's arenas are mapped on
//!   their own ([`OWN_PAGES_FROM`]) and grow by remapping, never by copying. On a plan of a
//!   million addresses this halves the page faults of loading.
//! - When loading ends, [`release_freed`] returns what the workers' heaps hold (on plans of
//!   16 MiB or more, where it is much), so it is not resident beside the rules' working
//!   sets.
//! - The rules allocate and free sort keys and tables of megabytes one after another, and
//!   each reuses from the heap the pages of those before it.

/// The size from which a block gets pages of its own. A model arena reserves this much
/// address space at once (`ModelBuilder::with_arena_bytes`); only the pages written are ever resident.
pub const OWN_PAGES_FROM: usize = 8 << 20;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
const M_TRIM_THRESHOLD: std::ffi::c_int = -1;
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const M_MMAP_THRESHOLD: std::ffi::c_int = -3;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
unsafe extern "C" {
    fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
}

/// Call once, before loading. Blocks of [`OWN_PAGES_FROM`] or more get pages of their own,
/// returned when freed and grown in place; the threshold is fixed instead of rising with
/// the first large block freed. Smaller blocks stay in the heap, which is not trimmed on
/// every free (`release_freed` does it once loading ends).
pub fn configure() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt only changes tuning parameters; called before the worker threads
        // start, and valid at any time in any case.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, OWN_PAGES_FROM as std::ffi::c_int);
            mallopt(M_TRIM_THRESHOLD, 128 << 20);
        }
    }
}

/// texts and trees) are dropped, before the rules allocate their own.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: malloc_trim only hands free pages back; it has no preconditions and leaves
        // every live allocation as it is.
        unsafe {
            malloc_trim(0);
        }
    }
}
