# One ctest entry per test case.
#
# hw_add_test_file(PART FILE LIBS...) builds FILE (which holds HW_TEST(name) cases)
# with the shared runner into one executable, then registers every case it finds in
# the source as its own ctest entry "PART.FILE_STEM.name", run as `exe name`.
# So `ctest -R data.store.idempotent_replay` runs exactly one case, in its own process.
set(HW_TEST_TIMEOUT 300 CACHE STRING "Per-case ctest timeout in seconds")

function(hw_add_test_file part file)
  get_filename_component(stem ${file} NAME_WE)
  set(exe test_${part}_${stem})
  add_executable(${exe} ${file} ${PROJECT_SOURCE_DIR}/tests/hw_test.c)
  target_include_directories(${exe} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${exe} PRIVATE ${ARGN})
  set_target_properties(${exe} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  file(STRINGS ${CMAKE_CURRENT_SOURCE_DIR}/${file} lines REGEX "^HW_TEST\\([a-z0-9_]+\\)")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${file})
  foreach(line ${lines})
    string(REGEX REPLACE "^HW_TEST\\(([a-z0-9_]+)\\).*" "\\1" name "${line}")
    add_test(NAME ${part}.${stem}.${name} COMMAND ${exe} ${name})
    set_tests_properties(${part}.${stem}.${name} PROPERTIES
      TIMEOUT ${HW_TEST_TIMEOUT}
      ENVIRONMENT "HW_SOURCE_DIR=${PROJECT_SOURCE_DIR};HW_BUILD_DIR=${CMAKE_BINARY_DIR};HW_SHARED_DIR=${PROJECT_SOURCE_DIR}/../shared")
  endforeach()
endfunction()
