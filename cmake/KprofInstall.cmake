# install + export so that other projects use find_package(kprof) after `cmake --install`
# (KPROF_INSTALL=OFF leaves all of it out, e.g. when kprof is embedded with add_subdirectory).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(_kprof_export_targets kprof_core kprof_reports kprof_cli kprof_library kprof_main)
get_property(_kprof_extra GLOBAL PROPERTY KPROF_EXPORTED_LIBS)
# kprof::memory_hooks is an OBJECT library: its objects are installed and linked into a user's binary.
set_target_properties(kprof_memory_hooks PROPERTIES EXPORT_NAME memory_hooks)
install(TARGETS ${_kprof_export_targets} ${_kprof_extra} kprof_memory_hooks EXPORT kprofTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        OBJECTS DESTINATION ${CMAKE_INSTALL_LIBDIR}/kprof/objects)
install(TARGETS kprof_memory_preload kprof_exec_guard LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY profilers/include/kprof reports/include/kprof DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
get_property(_kprof_extra_includes GLOBAL PROPERTY KPROF_EXPORTED_INCLUDE_DIRS)
foreach(dir IN LISTS _kprof_extra_includes)
  install(DIRECTORY ${dir}/kprof DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endforeach()
if(TARGET kprof AND KPROF_BUILD_TARGETS)
  install(TARGETS kprof RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  if(TARGET kprof-instrumented)  # installed next to kprof: the installed `kprof lines` runs it
    install(TARGETS kprof-instrumented RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
  if(TARGET kprof-valgrind)  # likewise: the installed `kprof callgrind` runs it
    install(TARGETS kprof-valgrind RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endif()
# kprof_line_profile's marker writer, for projects built against the installed package; exported so
# that KprofLineProfile.cmake finds it as kprof::kprof-mark.
if(TARGET kprof-mark)
  install(TARGETS kprof-mark EXPORT kprofTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(EXPORT kprofTargets NAMESPACE kprof:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kprof)
configure_package_config_file(cmake/kprofConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/kprofConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kprof)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/kprofConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/kprofConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/kprofConfigVersion.cmake
              cmake/KprofHelpers.cmake cmake/KprofLineProfile.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kprof)
