# Every dependency comes from Debian packages (scripts/setup.sh installs them); nothing is
# downloaded at build time.
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(benchmark REQUIRED)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(OpenBLAS REQUIRED)   # Debian ships OpenBLASConfig.cmake (pthread flavour)

if(NOT TARGET kprof_openblas)
  add_library(kprof_openblas INTERFACE)
  target_include_directories(kprof_openblas SYSTEM INTERFACE ${OpenBLAS_INCLUDE_DIRS})
  target_link_libraries(kprof_openblas INTERFACE ${OpenBLAS_LIBRARIES})
endif()
