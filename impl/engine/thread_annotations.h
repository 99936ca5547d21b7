// Clang thread-safety annotations (https://clang.llvm.org/docs/ThreadSafetyAnalysis.html).
//
// They document which mutex guards which data and let clang's -Wthread-safety
// (the `tsa` CMake preset) check it at compile time. On other compilers they
// expand to nothing.
#ifndef TXLAB_IMPL_ENGINE_THREAD_ANNOTATIONS_H_
#define TXLAB_IMPL_ENGINE_THREAD_ANNOTATIONS_H_

#if defined(__clang__)
#define TXLAB_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define TXLAB_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) TXLAB_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY TXLAB_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) TXLAB_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) TXLAB_THREAD_ANNOTATION(pt_guarded_by(x))
#define ACQUIRED_BEFORE(...) TXLAB_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
#define ACQUIRED_AFTER(...) TXLAB_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))
#define REQUIRES(...) TXLAB_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) TXLAB_THREAD_ANNOTATION(requires_shared_capability(__VA_ARGS__))
#define ACQUIRE(...) TXLAB_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) TXLAB_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define TRY_ACQUIRE(...) TXLAB_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
#define EXCLUDES(...) TXLAB_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ASSERT_CAPABILITY(x) TXLAB_THREAD_ANNOTATION(assert_capability(x))
#define RETURN_CAPABILITY(x) TXLAB_THREAD_ANNOTATION(lock_returned(x))
#define NO_THREAD_SAFETY_ANALYSIS TXLAB_THREAD_ANNOTATION(no_thread_safety_analysis)

#endif  // TXLAB_IMPL_ENGINE_THREAD_ANNOTATIONS_H_
