# SPDX-License-Identifier: GPL-3.0-or-later
# Compiler settings shared by Continuo's own targets (never applied to third-party code).

# continuo_target_defaults(target): warnings, optional -Werror, optional sanitizers.
function(continuo_target_defaults target)
    if(MSVC)
        target_compile_options(${target} PRIVATE /W4)
        if(CONTINUO_WARNINGS_AS_ERRORS)
            target_compile_options(${target} PRIVATE /WX)
        endif()
    else()
        target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
        if(CONTINUO_WARNINGS_AS_ERRORS)
            target_compile_options(${target} PRIVATE -Werror)
        endif()
    endif()
    if(CONTINUO_SANITIZE)
        list(JOIN CONTINUO_SANITIZE "," sanitizers)
        target_compile_options(${target} PRIVATE -fsanitize=${sanitizers} -fno-omit-frame-pointer
                                                 -fno-sanitize-recover=all)
        target_link_options(${target} PRIVATE -fsanitize=${sanitizers})
    endif()
    if(CONTINUO_FUZZ)
        target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
    endif()
endfunction()
