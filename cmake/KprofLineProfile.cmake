# kprof_line_profile(<target> SOURCES <files...> [FUNCTIONS <names...> | ALL_FUNCTIONS] [EXCLUDE_LINES <n...>])
#
# Line timings without editing the code (docs/LINES.md): <target> (or <target>-instrumented, the
# flavour kprof_add_kernels makes, when it exists) compiles, instead of each of SOURCES, a copy that
# kprof-mark wrote with KPROF_FUNCTION / KPROF_LINE at every statement of the named functions
# (found with libclang). The copy keeps every line where it was and starts with #line 1 "<original>",
# so tables, kcachegrind files and editors point at the user's file. The originals are never modified.
function(kprof_line_profile target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "ALL_FUNCTIONS" "" "SOURCES;FUNCTIONS;EXCLUDE_LINES")
  # kprof-mark of kprof's own build tree (kprof itself, or a project that embeds it), else the one
  # installed with the package (find_package(kprof)); likewise the line timers' runtime.
  if(TARGET kprof-mark)
    set(mark kprof-mark)
    set(lines_runtime kprof_lines)
  elseif(TARGET kprof::kprof-mark)
    set(mark kprof::kprof-mark)
    set(lines_runtime kprof::kprof_lines)
  else()
    message(FATAL_ERROR "kprof_line_profile(${target}): kprof-mark was not built (it needs Debian's "
                        "libclang-14-dev: scripts/setup.sh installs it)")
  endif()
  if(NOT arg_SOURCES OR (NOT arg_FUNCTIONS AND NOT arg_ALL_FUNCTIONS))
    message(FATAL_ERROR "kprof_line_profile(${target}): give SOURCES and FUNCTIONS (or ALL_FUNCTIONS)")
  endif()
  if(TARGET ${target}-instrumented)
    set(target ${target}-instrumented)
  endif()
  set(select "")
  foreach(fn IN LISTS arg_FUNCTIONS)
    list(APPEND select --function ${fn})
  endforeach()
  if(arg_ALL_FUNCTIONS)
    list(APPEND select --all)
  endif()
  foreach(line IN LISTS arg_EXCLUDE_LINES)
    list(APPEND select --exclude-line ${line})
  endforeach()
  # libclang parses the file as the target compiles it: its include directories and definitions,
  # those of what it links included (the generator expressions are transitive); an empty list gives
  # a bare -I or -D, which kprof-mark drops.
  set(includes "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")
  set(defines "$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>")
  get_target_property(target_sources ${target} SOURCES)
  foreach(source IN LISTS arg_SOURCES)
    get_filename_component(original ${source} ABSOLUTE)
    get_filename_component(name ${source} NAME)
    set(marked ${CMAKE_CURRENT_BINARY_DIR}/kprof-marked/${target}/${name})
    add_custom_command(OUTPUT ${marked}
                       COMMAND ${mark} ${original} -o ${marked} -q ${select} -- "-I$<JOIN:${includes},;-I>"
                               "-D$<JOIN:${defines},;-D>" -std=c++20
                       DEPENDS ${original} ${mark}
                       COMMENT "kprof-mark: line markers into ${name}"
                       COMMAND_EXPAND_LISTS VERBATIM)
    get_filename_component(original_dir ${original} DIRECTORY)
    # The copy's "quoted" includes are looked up next to the original, as the original's would be.
    set_source_files_properties(${marked} PROPERTIES COMPILE_DEFINITIONS KPROF_INSTRUMENT=1
                                                     COMPILE_OPTIONS "-iquote;${original_dir}")
    list(REMOVE_ITEM target_sources ${source} ${original})
    list(APPEND target_sources ${marked})
  endforeach()
  set_property(TARGET ${target} PROPERTY SOURCES ${target_sources})
  target_link_libraries(${target} PRIVATE ${lines_runtime})
endfunction()
