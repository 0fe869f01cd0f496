# Writes the shell completion scripts with the built binary itself
# ('regress completion SHELL'), so that they list exactly its commands and
# flags. Run by the build: cmake -D REGRESS=<binary> -D OUT=<dir> -P this file.
file(MAKE_DIRECTORY ${OUT})
foreach(shell_file IN ITEMS "bash;regress" "zsh;_regress" "fish;regress.fish")
  list(GET shell_file 0 shell)
  list(GET shell_file 1 name)
  execute_process(COMMAND ${REGRESS} completion ${shell} OUTPUT_FILE ${OUT}/${name}
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "regress completion ${shell} failed (${status})")
  endif()
endforeach()
