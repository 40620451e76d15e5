# SPDX-License-Identifier: GPL-3.0-or-later
# continuo_add_test(name SOURCES ... [LIBS ...] [LABELS ...] [TIMEOUT s] [ENVIRONMENT ...] [INTERNAL])
# One test, one executable, one ctest entry (after FluidSynth's ADD_FLUID_TEST). INTERNAL gives the
# test the engine's internal/ headers, which the engine exports to nobody (as FluidSynth's unit
# tests alone see its src/).
# Fixtures reach the test through CONTINUO_TEST_DATA_DIR; the shared corpus (optional) through
# CONTINUO_SHARED_DIR. Widget tests add ENVIRONMENT QT_QPA_PLATFORM=offscreen.

set(CONTINUO_TEST_DATA_DIR "${PROJECT_SOURCE_DIR}/tests/data")
set(CONTINUO_SHARED_DIR "${PROJECT_SOURCE_DIR}/../shared" CACHE PATH "The shared corpus folder (optional)")

# Everything a sanitizer build needs: tests labelled "sanitize" and the fuzz targets add themselves.
if(NOT TARGET continuo_sanitize_checks)
    add_custom_target(continuo_sanitize_checks)
endif()

function(continuo_add_test name)
    cmake_parse_arguments(ARG "INTERNAL" "TIMEOUT" "SOURCES;LIBS;LABELS;ENVIRONMENT" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
    if(ARG_INTERNAL)
        target_include_directories(${name} PRIVATE "${PROJECT_SOURCE_DIR}/engine")
    endif()
    target_compile_definitions(${name} PRIVATE
        QT_NO_KEYWORDS
        CONTINUO_TEST_DATA_DIR="${CONTINUO_TEST_DATA_DIR}"
        CONTINUO_SHARED_DIR="${CONTINUO_SHARED_DIR}")
    continuo_target_defaults(${name})
    if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        # Qt Test's QSKIP and QTEST_*_MAIN expand to variadic macros called with no arguments.
        target_compile_options(${name} PRIVATE -Wno-gnu-zero-variadic-macro-arguments)
    endif()
    add_test(NAME ${name} COMMAND ${name})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS "${ARG_LABELS}")
    if("sanitize" IN_LIST ARG_LABELS)
        add_dependencies(continuo_sanitize_checks ${name})
    endif()
    if(ARG_ENVIRONMENT)
        set_tests_properties(${name} PROPERTIES ENVIRONMENT "${ARG_ENVIRONMENT}")
    endif()
endfunction()
