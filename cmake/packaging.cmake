# What 'cmake --install' adds for people (the binary, library, headers and
# CMake package are installed in CMakeLists.txt), and the Debian package:
# 'cpack -G DEB' in a build tree (tests/package/check_deb.sh builds and
# checks it).

# Shell completions, written by the built binary from its own definition.
set(regress_completions ${CMAKE_CURRENT_BINARY_DIR}/completions)
add_custom_command(
  OUTPUT ${regress_completions}/regress ${regress_completions}/_regress
         ${regress_completions}/regress.fish
  COMMAND ${CMAKE_COMMAND} -D REGRESS=$<TARGET_FILE:regress> -D OUT=${regress_completions}
          -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/completions.cmake
  DEPENDS regress ${CMAKE_CURRENT_SOURCE_DIR}/cmake/completions.cmake
  COMMENT "Writing the bash, zsh and fish completions" VERBATIM)
add_custom_target(regress_completions ALL
  DEPENDS ${regress_completions}/regress ${regress_completions}/_regress
          ${regress_completions}/regress.fish)
# The directories where each shell finds a package's completions on Debian.
install(FILES ${regress_completions}/regress
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${regress_completions}/_regress
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${regress_completions}/regress.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)

# The man page (doc/regress.1, written by hand; tests/cli_install_test.cpp
# checks that it documents every flag), the README and the shipped data,
# which the man page's examples use.
install(FILES doc/regress.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES README.md LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES data/cars.csv data/mtcars.csv data/pressure.csv data/toothgrowth.csv
              data/challenger.csv data/README.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

# One package: the command with its man page and completions, and the
# library with its headers and CMake package (a C++ program that uses them
# also needs Eigen and fmt's headers: suggested, not required by the command).
set(CPACK_PACKAGE_NAME regress)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "Fits ordinary or weighted least squares, or an R model formula, to a CSV and prints what R's summary(lm()) prints, to the digit; predicts with intervals that flag extrapolation on every row.")
set(CPACK_PACKAGE_CONTACT "regress maintainers <regress@localhost>")
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_CURRENT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
# Depends: computed by dpkg-shlibdeps from the binary (dpkg-dev and file).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libeigen3-dev, libfmt-dev, r-base-core")
include(CPack)
