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

# kprof_add_family(<name> SOURCES ... [AVX2 ...] [AVX512 ...] [LIBS ...]): a built-in kernel family
# as an OBJECT library (static registration must not be dropped by the linker), collected into the
# `kprof` binary by targets/CMakeLists.txt.
function(kprof_add_family name)
  cmake_parse_arguments(F "" "" "SOURCES;AVX2;AVX512;LIBS" ${ARGN})
  set(target kprof_family_${name})
  add_library(${target} OBJECT ${F_SOURCES} ${F_AVX2} ${F_AVX512})
  if(F_AVX2)
    kprof_isa_sources(avx2 ${F_AVX2})
  endif()
  if(F_AVX512)
    kprof_isa_sources(avx512 ${F_AVX512})
  endif()
  target_link_libraries(${target} PUBLIC kprof_core ${F_LIBS})
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
      add_library(${target}_instrumented OBJECT ${F_SOURCES} ${F_AVX2} ${F_AVX512})
      target_compile_definitions(${target}_instrumented PRIVATE KPROF_INSTRUMENT=1)
      target_link_libraries(${target}_instrumented PUBLIC kprof_core kprof_lines ${F_LIBS})
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
