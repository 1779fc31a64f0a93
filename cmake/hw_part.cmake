# hw_add_part(NAME DIR LIBS...): the static library of one top-level part, built
# from every .c file in DIR (minus the program's main.c). A part with no sources
# yet is an interface library so the parts above it still configure.
function(hw_add_part name dir)
  file(GLOB srcs CONFIGURE_DEPENDS ${dir}/*.c)
  list(REMOVE_ITEM srcs ${dir}/main.c)
  if(srcs)
    add_library(${name} STATIC ${srcs})
    target_include_directories(${name} PUBLIC ${dir})
    target_link_libraries(${name} PUBLIC ${ARGN})
  else()
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${dir})
    target_link_libraries(${name} INTERFACE ${ARGN})
  endif()
endfunction()
