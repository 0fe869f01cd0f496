# Installs the build tree BUILD_DIR into a fresh temporary PREFIX, builds
# examples/consumer against that prefix alone with COMPILER and FLAGS (the
# build's own, so a sanitizer build links), and runs it on DATA. Fails on any
# step's error, on a source-tree or src/cli header in the prefix, or when the
# program does not print the 40 mph prediction as extrapolation.
#   cmake -DBUILD_DIR=... -DWORK_DIR=... -DCOMPILER=... -DFLAGS=... -DDATA=... -P install_test.cmake
foreach(var BUILD_DIR WORK_DIR COMPILER DATA)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "install_test.cmake: -D${var}=... is required")
  endif()
endforeach()

function(run_step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "install test: ${what} failed (${code}):\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

set(prefix ${WORK_DIR}/prefix)
set(consumer_build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

run_step("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

# The package holds the public headers only: nothing from src/.
file(GLOB_RECURSE installed_headers RELATIVE ${prefix}/include ${prefix}/include/*)
foreach(h IN LISTS installed_headers)
  if(NOT h MATCHES "^regress/" OR h MATCHES "(run|commands|common|messages)\\.hpp$")
    message(FATAL_ERROR "install test: unexpected header in the prefix: ${h}")
  endif()
endforeach()
if(NOT EXISTS ${prefix}/include/regress/model/model.hpp)
  message(FATAL_ERROR "install test: regress/model/model.hpp was not installed")
endif()

get_filename_component(consumer_source ${CMAKE_CURRENT_LIST_DIR} ABSOLUTE)
run_step("configuring the consumer" ${CMAKE_COMMAND} -S ${consumer_source} -B ${consumer_build}
         -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${COMPILER}
         "-DCMAKE_CXX_FLAGS=${FLAGS}" -DCMAKE_BUILD_TYPE=Release)
run_step("building the consumer" ${CMAKE_COMMAND} --build ${consumer_build})
run_step("running the consumer" ${consumer_build}/library_example ${DATA})
if(NOT step_output MATCHES "speed 40 mph: .*, above")
  message(FATAL_ERROR "install test: unexpected output:\n${step_output}")
endif()
message(STATUS "install test: consumer built against ${prefix} and ran:\n${step_output}")
file(REMOVE_RECURSE ${WORK_DIR})
