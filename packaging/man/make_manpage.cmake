# Writes a man page from an executable's own --help (and, for the CLI, every command's --help), so
# the page never drifts from the program. Run as:
#   cmake -DEXE=path -DNAME=halluscope-cli -DSUMMARY="..." -DOUT=file.1 [-DSUBCOMMANDS=ON] -P make_manpage.cmake
set(ENV{QT_QPA_PLATFORM} offscreen)   # the GUI's --help needs no display

function(run_help out)
  execute_process(COMMAND ${EXE} ${ARGN} OUTPUT_VARIABLE text ERROR_QUIET RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${EXE} ${ARGN} failed (${rc})")
  endif()
  string(REPLACE "${EXE}" "${NAME}" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# roff: backslashes escaped, lines that would read as requests protected, verbatim layout kept.
function(as_roff out text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} ".nf\n${text}\n.fi\n" PARENT_SCOPE)
endfunction()

run_help(help --help)
run_help(version --version)
string(STRIP "${version}" version)
string(TOUPPER "${NAME}" title)
as_roff(body "${help}")
set(page ".TH ${title} 1 \"\" \"${version}\" \"User Commands\"\n.SH NAME\n${NAME} \\- ${SUMMARY}\n")
string(APPEND page ".SH DESCRIPTION\n${body}")

if(SUBCOMMANDS)
  # Command names: the indented first words of the lines after "Commands:".
  string(REGEX REPLACE ".*\nCommands:\n" "" listing "${help}")
  string(REGEX REPLACE "\n\n.*" "" listing "${listing}")
  string(REPLACE "\n" ";" lines "${listing}")
  string(APPEND page ".SH COMMANDS\n")
  foreach(line IN LISTS lines)
    if(line MATCHES "^  ([a-z][a-z-]*) ")
      run_help(usage ${CMAKE_MATCH_1} --help)
      as_roff(usage_roff "${usage}")
      string(APPEND page ".SS ${CMAKE_MATCH_1}\n${usage_roff}")
    endif()
  endforeach()
endif()

string(APPEND page ".SH ENVIRONMENT\n.TP\n.B HS_RESOURCES\nA folder holding the demo (demo/model, demo/data); "
  "by default the installed share/halluscope next to the executable.\n"
  ".SH SEE ALSO\n.BR halluscope (1),\n.BR halluscope-cli (1)\n")
file(WRITE "${OUT}" "${page}")
