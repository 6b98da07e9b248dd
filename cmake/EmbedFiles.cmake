# rampart_embed(TARGET NAMESPACE FUNCTION FILES...) compiles files (templates, static assets) into the
# binary, so that one executable is the whole product and no served directory exists on disk.
function(rampart_embed target ns func)
  set(out_cpp ${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded.cpp)
  set(files ${ARGN})
  # A list cannot pass through a command line intact: '|' separates the files instead.
  string(REPLACE ";" "|" files_arg "${files}")
  add_custom_command(
    OUTPUT ${out_cpp}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out_cpp} -DNS=${ns} -DFUNC=${func} -DBASE=${CMAKE_CURRENT_SOURCE_DIR}
            "-DFILES=${files_arg}" -P ${PROJECT_SOURCE_DIR}/cmake/EmbedFilesScript.cmake
    DEPENDS ${files} ${PROJECT_SOURCE_DIR}/cmake/EmbedFilesScript.cmake
    COMMENT "Embedding ${target} files"
    VERBATIM)
  add_library(${target} STATIC ${out_cpp})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
endfunction()
