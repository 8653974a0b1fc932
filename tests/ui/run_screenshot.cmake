# Runs `halluscope --run --level chunk --screenshot` on the built-in demo in a fresh home folder and
# checks that it exits 0 and writes a PNG. Usage: cmake -DAPP=... -DWORK=... -P run_screenshot.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(ENV{XDG_DATA_HOME} ${WORK})
set(ENV{XDG_CONFIG_HOME} ${WORK})
execute_process(COMMAND ${APP} --run --level chunk --screenshot ${WORK}/demo.png
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err TIMEOUT 280)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "halluscope exited with ${rc}: ${err}")
endif()
file(READ ${WORK}/demo.png head LIMIT 8 HEX)
if(NOT head STREQUAL "89504e470d0a1a0a")
  message(FATAL_ERROR "${WORK}/demo.png is not a PNG")
endif()
file(SIZE ${WORK}/demo.png size)
if(size LESS 50000)
  message(FATAL_ERROR "${WORK}/demo.png is suspiciously small (${size} bytes)")
endif()
