# CMake functions for kernel code, kprof's own and its users'. Installed with the package
# (find_package(kprof)) and defined by add_subdirectory(kprof) alike: both ways a user's project
# calls the same kprof_add_kernels, and kprof's built-in families go through the same
# kprof_kernel_sources.

# kprof_isa_sources(<isa> <files...>): compile files for one instruction set only. Only these files
# see -mavx2/-mavx512*; everything else stays at the x86-64 baseline, so the runtime dispatch in
# kprof::cpu_supports() decides what runs and an older CPU never executes an instruction it lacks.
function(kprof_isa_sources isa)
  if(isa STREQUAL "avx2")
    set(flags "-mavx2;-mfma")
  elseif(isa STREQUAL "avx512")
    set(flags "-mavx512f;-mavx512vl;-mavx512dq;-mavx512bw;-mavx2;-mfma;-mprefer-vector-width=512")
  else()
    message(FATAL_ERROR "kprof_isa_sources: unknown ISA '${isa}' (use avx2 or avx512)")
  endif()
  set_source_files_properties(${ARGN} PROPERTIES COMPILE_OPTIONS "${flags}")
endfunction()

# Warnings for kprof's own code only (users embedding kprof keep their own flags).
function(kprof_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter -Wno-missing-field-initializers
                         $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)  # GCC 12 false positive (PR 105329)
endfunction()

# kprof_kernel_sources(<target> [INSTRUMENT] SOURCES ... [AVX2 ...] [AVX512 ...] [LIBS ...]): adds
# kernel sources to an existing target: the AVX2/AVX512 files get their ISA's flags, KPROF_FAMILY
# records how they were built (build type, flags; it reads compiler, optimisation and NDEBUG itself
# in the same translation unit, see kprof::BuildInfo), INSTRUMENT compiles the KPROF_LINE markers in.
function(kprof_kernel_sources target)
  cmake_parse_arguments(K "INSTRUMENT" "" "SOURCES;AVX2;AVX512;LIBS" ${ARGN})
  target_sources(${target} PRIVATE ${K_SOURCES} ${K_AVX2} ${K_AVX512})
  if(K_AVX2)
    kprof_isa_sources(avx2 ${K_AVX2})
  endif()
  if(K_AVX512)
    kprof_isa_sources(avx512 ${K_AVX512})
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

# kprof_add_kernels(<name> SOURCES ... [AVX2 ...] [AVX512 ...] [LIBS ...] [NO_MEMORY_HOOKS]):
# a user's kernel binary, from files that register families with KPROF_FAMILY (docs/YOUR_KERNELS.md):
#   <name>               kprof's whole command line over your families (kprof::main), with the
#                        memory hooks linked in for `<name> mem`
#   <name>-instrumented  the same sources with KPROF_LINE markers compiled in; `<name> lines` runs it
# NO_MEMORY_HOOKS: leave malloc alone (e.g. in a sanitizer build, whose runtime owns malloc).
function(kprof_add_kernels name)
  cmake_parse_arguments(K "NO_MEMORY_HOOKS" "" "SOURCES;AVX2;AVX512;LIBS" ${ARGN})
  if(NOT K_SOURCES AND NOT K_AVX2 AND NOT K_AVX512)
    message(FATAL_ERROR "kprof_add_kernels(${name}): no SOURCES given")
  endif()
  set(sources SOURCES ${K_SOURCES} AVX2 ${K_AVX2} AVX512 ${K_AVX512} LIBS ${K_LIBS})
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
endfunction()

# kprof_add_family(<name> SOURCES ... [AVX2 ...] [AVX512 ...] [LIBS ...]): a built-in kernel family
# as an OBJECT library (static registration must not be dropped by the linker), collected into the
# `kprof` binary by targets/CMakeLists.txt.
function(kprof_add_family name)
  cmake_parse_arguments(F "" "" "SOURCES;AVX2;AVX512;LIBS" ${ARGN})
  set(target kprof_family_${name})
  set(sources SOURCES ${F_SOURCES} AVX2 ${F_AVX2} AVX512 ${F_AVX512} LIBS kprof_core ${F_LIBS})
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
    foreach(file IN LISTS F_SOURCES F_AVX2 F_AVX512 _headers)
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
endfunction()

# kprof_instrument(<target>): compile the KPROF_FUNCTION / KPROF_LINE markers in for one target of
# yours (line-level timers, docs/LINES.md); everywhere else they expand to nothing.
function(kprof_instrument target)
  target_compile_definitions(${target} PRIVATE KPROF_INSTRUMENT=1)
endfunction()
