//! How the process uses the system allocator, so that a large plan's peak memory is its
//! model and little else. glibc only; elsewhere these do nothing.
//!
//! glibc keeps freed memory for reuse rather than return it, which is right for most
//! programs and wrong at two moments of a check: when an arena of declarations doubles (the
//! old buffer would stay resident) and when loading ends (the workers' texts and trees would
//! stay resident while the rules allocate their own working sets). On a plan of a million
//! addresses, [`configure`] and [`release_freed`] lower peak memory by about a tenth.
//!
//! Once the model is built, the rules allocate and free sort keys and tables of megabytes
//! one after another. [`reuse_freed`] then keeps such buffers in the heap, so that each
//! reuses the pages of those freed before it instead of faulting in new ones: on a virtual
//! machine a page fault costs microseconds, and a million-address plan takes a third fewer
//! of them while the rules run.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
const M_TRIM_THRESHOLD: std::ffi::c_int = -1;
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const M_MMAP_THRESHOLD: std::ffi::c_int = -3;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
unsafe extern "C" {
    fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
}

/// Call once, before loading. Allocations of 1 MiB or more (the arenas, the sort keys) get
/// pages of their own, returned when freed and grown in place; the threshold is fixed
/// instead of rising with the first large buffer freed. Smaller blocks stay in the heap,
/// which is not trimmed on every free (`release_freed` does it between phases).
pub fn configure() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt only changes tuning parameters; called before the worker threads
        // start, and valid at any time in any case.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, 1 << 20);
            mallopt(M_TRIM_THRESHOLD, 128 << 20);
        }
    }
}

/// Call once the model is built and loading's transients are released: from then on,
/// buffers of up to 32 MiB come from the heap and are reused once freed, instead of being
/// mapped afresh and returned. `configure` sets the threshold back for the next check.
pub fn reuse_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: as in `configure`; called between phases, and valid at any time in any
        // case.
        unsafe {
            mallopt(M_MMAP_THRESHOLD, 32 << 20);
        }
    }
}

/// Returns memory freed so far to the system: call between phases, once a phase's
/// transients are dropped (the files once loaded, the name keys once names are checked).
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
