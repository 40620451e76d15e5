# SPDX-License-Identifier: GPL-3.0-or-later
# Installation layout and the .deb package (cpack -G DEB in the build folder).
# Programs go to bin/; models, seeds and the icon to share/continuo/ (core/resources.cpp looks for
# them beside the program and in ../share/continuo); desktop entry, icon and AppStream metadata to
# their freedesktop places.
include(GNUInstallDirs)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/models ${PROJECT_SOURCE_DIR}/resources/seeds
        DESTINATION ${CMAKE_INSTALL_DATADIR}/continuo
        FILES_MATCHING PATTERN "*.ckpt" PATTERN "*.memo" PATTERN "*.md" PATTERN "*.mid")
if(CONTINUO_GUI)
    install(FILES ${PROJECT_SOURCE_DIR}/packaging/linux/continuo.desktop
            DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
    install(FILES ${PROJECT_SOURCE_DIR}/packaging/linux/io.github.continuo.Continuo.metainfo.xml
            DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
    install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/continuo.svg
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
endif()

set(CPACK_PACKAGE_NAME continuo)
set(CPACK_PACKAGE_VENDOR "Continuo")
set(CPACK_PACKAGE_CONTACT "Continuo developers <continuo@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Composer assistant: continue a musical idea with a neural model")
set(CPACK_PACKAGE_DESCRIPTION "Continuo continues a short musical idea with a neural sequence model trained on \
MIDI, shows seed and continuation on a piano roll, plays them through FluidSynth or a MIDI port, exports MIDI and \
WAV, and trains models on a folder of MIDI files.")
set(CPACK_PACKAGE_INSTALL_DIRECTORY continuo)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION sound)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON) # runtime libraries found by dpkg-shlibdeps
# OpenBLAS with threads keeps LibTorch's CPU training fast; the SoundFont makes the synth sound.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0-pthread, fluid-soundfont-gm")
set(CPACK_GENERATOR DEB)
include(CPack)
