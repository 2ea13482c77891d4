# Finds node and npm for the dashboard build and the browser tests, and fails the configure step
# with a clear message when the node found is too old for the pinned packages (Vite 6 and
# playwright-core 1.61 support Node 18, the version Debian 12 ships). Sets CHATHOST_NODE and
# CHATHOST_NPM (empty when npm is absent: the dashboard is then not built).

set(CHATHOST_NODE_MIN_VERSION 18.0.0)

find_program(CHATHOST_NODE node)
find_program(CHATHOST_NPM npm)
if(CHATHOST_NPM AND NOT CHATHOST_NODE)
  message(FATAL_ERROR "npm is installed but node is not on PATH: install Debian's nodejs "
                      "(bash .ci/install-deps does) or remove npm to build without the dashboard")
endif()
if(CHATHOST_NODE)
  execute_process(COMMAND ${CHATHOST_NODE} --version OUTPUT_VARIABLE node_version
                  OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE node_result)
  string(REGEX REPLACE "^v" "" node_version "${node_version}")
  if(NOT node_result EQUAL 0 OR node_version VERSION_LESS CHATHOST_NODE_MIN_VERSION)
    message(FATAL_ERROR "${CHATHOST_NODE} is Node.js '${node_version}': the dashboard and its "
                        "tests need Node.js ${CHATHOST_NODE_MIN_VERSION} or newer (Debian 12's "
                        "nodejs package is enough)")
  endif()
  message(STATUS "Node.js ${node_version} (${CHATHOST_NODE})")
endif()

# `npm ci` as the build runs it: engine mismatches fail the build instead of a hidden warning.
set(CHATHOST_NPM_CI ${CHATHOST_NPM} ci --engine-strict --no-audit --no-fund --loglevel=warn)
