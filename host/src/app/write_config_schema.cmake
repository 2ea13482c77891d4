# Writes `CHATHOST --print-config-schema` to OUTPUT; the file is replaced only when the command
# succeeds, so a failed run never leaves a partial schema behind.
# Usage: cmake -DCHATHOST=bin/chathost -DOUTPUT=share/chathost/chathost.schema.json -P this-file
get_filename_component(output_dir ${OUTPUT} DIRECTORY)
file(MAKE_DIRECTORY ${output_dir})
execute_process(COMMAND ${CHATHOST} --print-config-schema
  OUTPUT_FILE ${OUTPUT}.tmp RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  file(REMOVE ${OUTPUT}.tmp)
  message(FATAL_ERROR "${CHATHOST} --print-config-schema failed: ${result}")
endif()
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
