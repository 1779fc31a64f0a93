# hw_embed(TARGET OUT_NAME BASE_DIR FILE...): build FILEs (paths relative to
# BASE_DIR) into the library TARGET as C byte arrays, listed in hw_assets[]
# (daemon/hw_assets.h), so the program serves them without reading the disk.
# The C file is made at build time by cmake/hw_embed_run.cmake and remade when
# any of the files changes; no tool beyond CMake is needed.
function(hw_embed target out_name base)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${out_name})
  set(deps "")
  foreach(f ${ARGN})
    list(APPEND deps ${base}/${f})
  endforeach()
  string(REPLACE ";" "," files "${ARGN}")
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DBASE=${base} -DFILES=${files}
            -P ${PROJECT_SOURCE_DIR}/cmake/hw_embed_run.cmake
    DEPENDS ${deps} ${PROJECT_SOURCE_DIR}/cmake/hw_embed_run.cmake
    COMMENT "Embedding ${out_name}" VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
