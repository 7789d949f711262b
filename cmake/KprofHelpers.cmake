# CMake functions for kernel code, kprof's own and its users'. Installed with the package
# (find_package(kprof)) and defined by add_subdirectory(kprof) alike: both ways a user's project
# calls the same kprof_add_kernels, and kprof's built-in families go through the same
# kprof_kernel_sources.

# kprof_isa_sources(<isa> <files...>): compile files for one instruction set only. Only these files
# see -mavx2/-mavx512*; everything else stays at the x86-64 baseline, so the runtime dispatch in
# kprof::cpu_supports() decides what runs and an older CPU never executes an instruction it lacks.
# avx512_portable: files compiled for AVX-512 whose source has no AVX-512 intrinsics (Eigen,
# auto-vectorised loops); a target with the property KPROF_VALGRIND_SAFE (the valgrind-safe flavour,
# docs/CALLGRIND.md) compiles them for AVX2 instead, which valgrind emulates. A source property is
# shared by every target of the directory, hence the choice per target in a generator expression.
function(kprof_isa_sources isa)
  set(avx2 "-mavx2;-mfma")
  set(avx512 "-mavx512f;-mavx512vl;-mavx512dq;-mavx512bw;-mavx2;-mfma;-mprefer-vector-width=512")
  if(isa STREQUAL "avx2")
    set(flags "${avx2}")
  elseif(isa STREQUAL "avx512")
    set(flags "${avx512}")
  elseif(isa STREQUAL "avx512_portable")
    set(flags "$<IF:$<BOOL:$<TARGET_PROPERTY:KPROF_VALGRIND_SAFE>>,${avx2},${avx512}>")
  else()
    message(FATAL_ERROR "kprof_isa_sources: unknown ISA '${isa}' (use avx2, avx512 or avx512_portable)")
  endif()
  set_source_files_properties(${ARGN} PROPERTIES COMPILE_OPTIONS "${flags}")
endfunction()

# Warnings for kprof's own code only (users embedding kprof keep their own flags).
function(kprof_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter -Wno-missing-field-initializers
                         $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)  # GCC 12 false positive (PR 105329)
endfunction()

# kprof_kernel_sources(<target> [INSTRUMENT] [VALGRIND_SAFE] SOURCES ... [AVX2 ...] [AVX512 ...]
# [AVX512_PORTABLE ...] [LIBS ...]): adds kernel sources to an existing target: the AVX2/AVX512 files
# get their ISA's flags (AVX512_PORTABLE: AVX-512, or AVX2 in a VALGRIND_SAFE target; see
# kprof_isa_sources), KPROF_FAMILY records how they were built (build type, flags; it reads
# compiler, optimisation and NDEBUG itself in the same translation unit, see kprof::BuildInfo),
# INSTRUMENT compiles the KPROF_LINE markers in.
function(kprof_kernel_sources target)
  cmake_parse_arguments(K "INSTRUMENT;VALGRIND_SAFE" "" "SOURCES;AVX2;AVX512;AVX512_PORTABLE;LIBS" ${ARGN})
  target_sources(${target} PRIVATE ${K_SOURCES} ${K_AVX2} ${K_AVX512} ${K_AVX512_PORTABLE})
  if(K_AVX2)
    kprof_isa_sources(avx2 ${K_AVX2})
  endif()
  if(K_AVX512)
    kprof_isa_sources(avx512 ${K_AVX512})
  endif()
  if(K_AVX512_PORTABLE)
    kprof_isa_sources(avx512_portable ${K_AVX512_PORTABLE})
  endif()
  if(K_VALGRIND_SAFE)
    set_target_properties(${target} PROPERTIES KPROF_VALGRIND_SAFE ON)
  endif()
  # CMAKE_CXX_FLAGS_<CONFIG> of the configuration being built, and the target's own options.
  set(config_flags "")
  foreach(config Debug Release RelWithDebInfo MinSizeRel)
    string(TOUPPER ${config} upper)
    string(APPEND config_flags "$<$<CONFIG:${config}>:${CMAKE_CXX_FLAGS_${upper}}>")
  endforeach()
  target_compile_definitions(${target} PRIVATE
    "KPROF_KERNEL_BUILD_TYPE=\"$<CONFIG>\""
    "KPROF_KERNEL_CXX_FLAGS=\"${CMAKE_CXX_FLAGS} ${config_flags} $<JOIN:$<TARGET_PROPERTY:${target},COMPILE_OPTIONS>, >\"")
  if(K_INSTRUMENT)
    target_compile_definitions(${target} PRIVATE KPROF_INSTRUMENT=1)
  endif()
  # PUBLIC: an OBJECT library passes its libraries on to the binary its objects go into.
  target_link_libraries(${target} PUBLIC ${K_LIBS})
endfunction()

# kprof_add_kernels(<name> SOURCES ... [AVX2 ...] [AVX512 ...] [AVX512_PORTABLE ...] [LIBS ...]
# [NO_MEMORY_HOOKS]): a user's kernel binary, from files that register families with KPROF_FAMILY
# (docs/YOUR_KERNELS.md):
#   <name>               kprof's whole command line over your families (kprof::main), with the
#                        memory hooks linked in for `<name> mem`
#   <name>-instrumented  the same sources with KPROF_LINE markers on; `<name> lines` runs it
#   <name>-valgrind      with AVX512_PORTABLE files only: the same sources with those files compiled
#                        for AVX2; `<name> callgrind` runs their variants in it (docs/CALLGRIND.md)
# NO_MEMORY_HOOKS: leave malloc alone (e.g. in a sanitizer build, whose runtime owns malloc).
function(kprof_add_kernels name)
  cmake_parse_arguments(K "NO_MEMORY_HOOKS" "" "SOURCES;AVX2;AVX512;AVX512_PORTABLE;LIBS" ${ARGN})
  if(NOT K_SOURCES AND NOT K_AVX2 AND NOT K_AVX512 AND NOT K_AVX512_PORTABLE)
    message(FATAL_ERROR "kprof_add_kernels(${name}): no SOURCES given")
  endif()
  set(sources SOURCES ${K_SOURCES} AVX2 ${K_AVX2} AVX512 ${K_AVX512} AVX512_PORTABLE ${K_AVX512_PORTABLE}
              LIBS ${K_LIBS})
  add_executable(${name})
  kprof_kernel_sources(${name} ${sources})
  target_link_libraries(${name} PRIVATE kprof::main)
  if(NOT K_NO_MEMORY_HOOKS)
    target_link_libraries(${name} PRIVATE kprof::memory_hooks)
  endif()
  # Built into the same folder as <name>: `<name> lines` looks for it next to itself.
  add_executable(${name}-instrumented)
  kprof_kernel_sources(${name}-instrumented INSTRUMENT ${sources})
  target_link_libraries(${name}-instrumented PRIVATE kprof::main)
  add_dependencies(${name} ${name}-instrumented)  # building <name> builds what its `lines` needs
  # Next to <name> too: `<name> callgrind` looks for it there. Without AVX512_PORTABLE files it would
  # be the same binary as <name>, so there is none.
  if(K_AVX512_PORTABLE)
    add_executable(${name}-valgrind)
    kprof_kernel_sources(${name}-valgrind VALGRIND_SAFE ${sources})
    target_link_libraries(${name}-valgrind PRIVATE kprof::main)
    add_dependencies(${name} ${name}-valgrind)  # and what its `callgrind` needs
  endif()
endfunction()

# kprof_add_family(<name> SOURCES ... [AVX2 ...] [AVX512 ...] [AVX512_PORTABLE ...] [LIBS ...]): a
# built-in kernel family as an OBJECT library (static registration must not be dropped by the
# linker), collected into the `kprof` binary by targets/CMakeLists.txt.
function(kprof_add_family name)
  cmake_parse_arguments(F "" "" "SOURCES;AVX2;AVX512;AVX512_PORTABLE;LIBS" ${ARGN})
  set(target kprof_family_${name})
  set(sources SOURCES ${F_SOURCES} AVX2 ${F_AVX2} AVX512 ${F_AVX512} AVX512_PORTABLE ${F_AVX512_PORTABLE}
              LIBS kprof_core ${F_LIBS})
  add_library(${target} OBJECT)
  kprof_kernel_sources(${target} ${sources})
  target_include_directories(${target} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  kprof_warnings(${target})
  set_property(GLOBAL APPEND PROPERTY KPROF_FAMILIES ${target})
  # The instrumented flavour (docs/LINES.md): `kprof-instrumented` links every family; a family whose
  # sources or headers hold KPROF_FUNCTION is compiled a second time with the markers on, the others
  # (identical code either way) reuse their plain objects.
  if(KPROF_BUILD_INSTRUMENTED AND NOT KPROF_INSTRUMENT AND TARGET kprof_lines)
    file(GLOB _headers ${CMAKE_CURRENT_SOURCE_DIR}/*.h)
    set(_marked FALSE)
    foreach(file IN LISTS F_SOURCES F_AVX2 F_AVX512 F_AVX512_PORTABLE _headers)
      get_filename_component(file ${file} ABSOLUTE)
      file(STRINGS ${file} _markers REGEX "KPROF_FUNCTION")
      if(_markers)
        set(_marked TRUE)
      endif()
    endforeach()
    if(_marked)
      add_library(${target}_instrumented OBJECT)
      kprof_kernel_sources(${target}_instrumented INSTRUMENT ${sources} kprof_lines)
      target_include_directories(${target}_instrumented PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
      kprof_warnings(${target}_instrumented)
      set_property(GLOBAL APPEND PROPERTY KPROF_INSTRUMENTED_FAMILIES ${target}_instrumented)
    else()
      set_property(GLOBAL APPEND PROPERTY KPROF_INSTRUMENTED_FAMILIES ${target})
    endif()
  endif()
  # The valgrind-safe flavour (docs/CALLGRIND.md): `kprof-valgrind` links every family; a family with
  # AVX512_PORTABLE files is compiled a second time with those files at AVX2, the others reuse
  # their plain objects (their AVX-512 variants use intrinsics, which valgrind cannot run anyway).
  if(KPROF_BUILD_VALGRIND_SAFE)
    if(F_AVX512_PORTABLE)
      add_library(${target}_valgrind OBJECT)
      kprof_kernel_sources(${target}_valgrind VALGRIND_SAFE ${sources})
      target_include_directories(${target}_valgrind PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
      kprof_warnings(${target}_valgrind)
      set_property(GLOBAL APPEND PROPERTY KPROF_VALGRIND_FAMILIES ${target}_valgrind)
    else()
      set_property(GLOBAL APPEND PROPERTY KPROF_VALGRIND_FAMILIES ${target})
    endif()
  endif()
endfunction()

# kprof_instrument(<target>): compile the KPROF_FUNCTION / KPROF_LINE markers in for one target of
# yours (line-level timers, docs/LINES.md); everywhere else they expand to nothing.
function(kprof_instrument target)
  target_compile_definitions(${target} PRIVATE KPROF_INSTRUMENT=1)
endfunction()
